//! Environment reads in a Python module, found by the patterns in
//! `grammars/python/env-reads.scm` (the list of supported libraries is data) plus
//! pydantic-settings classes (`pydantic.rs`) and django-environ schemas, which need a walk.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use tree_sitter::{Node, Query, QueryCursor, StreamingIterator, Tree};

use super::bindings::{Bindings, node_text};

/// The name of the variable a read asks for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EnvName {
    Literal(String),
    /// Built at run time (f-string, variable, concatenation): never guessed.
    Unresolved,
}

impl EnvName {
    pub fn as_literal(&self) -> Option<&str> {
        match self {
            EnvName::Literal(s) => Some(s),
            EnvName::Unresolved => None,
        }
    }
}

/// What happens when the variable is unset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Requirement {
    /// Raises at import (KeyError, ImproperlyConfigured, …).
    Required,
    Optional,
    /// Does not raise but yields something unusable (dj-database-url's empty config): a
    /// warning-level requirement.
    RuntimeRequired,
}

/// How the library converts the text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Cast {
    Str,
    Bool,
    Int,
    Float,
    List,
    Tuple,
    Dict,
    Json,
    Url,
    DbUrl,
    CacheUrl,
    EmailUrl,
    SearchUrl,
    Path,
    Csv,
    Choices(Vec<String>),
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReadKind {
    /// Reads one variable's value.
    Value,
    /// Only checks presence (`"X" in os.environ`).
    Contains,
    /// Reads every variable whose name starts with the (literal) name, e.g. Flask's
    /// `from_prefixed_env()` reads `FLASK_*`.
    Prefix,
}

/// A default's value when it is statically known.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DefaultValue {
    /// A string literal, decoded.
    Str(String),
    /// A number, `True`/`False`, or a list/tuple/dict display: its source text.
    Literal(String),
    None,
    /// Computed at run time.
    Expr,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DefaultArg {
    pub value: DefaultValue,
    pub range: Range<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvRead {
    pub name: EnvName,
    /// The name's text (inside the quotes for a string literal); the argument or call for
    /// unresolved and implied names.
    pub name_range: Range<usize>,
    /// The whole reading expression.
    pub call_range: Range<usize>,
    /// Which library and function, e.g. `os.getenv`, `django-environ env.bool`.
    pub api: Arc<str>,
    pub kind: ReadKind,
    pub requirement: Requirement,
    pub default: Option<DefaultArg>,
    pub cast: Cast,
    /// pydantic-settings matches names case-insensitively by default; everything else exactly.
    pub case_sensitive: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetKind {
    /// `os.environ.setdefault("X", v)`: only when X is unset.
    Default,
    /// `os.environ["X"] = v`: always.
    Assign,
}

/// The module sets a variable for the process (and its children).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvSet {
    pub name: EnvName,
    pub name_range: Range<usize>,
    pub value: Option<DefaultArg>,
    pub call_range: Range<usize>,
    pub kind: SetKind,
}

/// Where a `read_env()`/`load_dotenv()` call takes its file from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DotenvTarget {
    /// No path: the library looks for `.env` itself, next to the calling module (`up`: and
    /// in its parents).
    Default {
        search_parents: bool,
    },
    /// A string literal path (relative paths are relative to the process's working directory
    /// for most libraries; the env layer decides how to resolve).
    Literal(String),
    /// Built at run time, e.g. `BASE_DIR / ".env"` or `os.path.join(BASE_DIR, ".env.prod")`:
    /// the last string literal in it, usually the file name.
    Joined {
        file_name: String,
    },
    Unknown,
}

/// A call that loads a `.env` file into the environment (or into a settings object).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotenvLoad {
    pub api: Arc<str>,
    pub target: DotenvTarget,
    /// The path argument, or the call when there is none.
    pub range: Range<usize>,
    pub call_range: Range<usize>,
}

/// Everything env-related found in one module.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    pub reads: Vec<EnvRead>,
    pub sets: Vec<EnvSet>,
    pub dotenv_loads: Vec<DotenvLoad>,
}

pub fn extract(tree: &Tree, text: &str) -> Extracted {
    let bindings = Bindings::collect(tree, text);
    let mut out = query_reads(tree, text, &bindings);
    super::pydantic::extract(tree, text, &bindings, &mut out);
    out.reads.sort_by_key(|r| (r.call_range.start, r.name_range.start));
    out
}

// ------------------------------------------------------------------ the query and its specs

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PatternKind {
    Read,
    Contains,
    SetDefault,
    Prefix,
    ReadEnv,
    CastWrapper,
    PrefixScope,
}

/// One pattern's `#set!` properties, parsed once.
#[derive(Debug, Default)]
struct Spec {
    kind: Option<PatternKind>,
    callee: Vec<String>,
    api: String,
    requirement: Option<Requirement>,
    name_arg: Option<usize>,
    name_kw: Option<String>,
    name_default: Option<String>,
    name_suffix: String,
    default_arg: Option<usize>,
    default_kw: Option<String>,
    cast: Option<String>,
    cast_arg: Option<usize>,
    cast_kw: Option<String>,
    optional_kw: Option<String>,
    path_arg: Option<usize>,
    path_kw: Option<String>,
    search_parents: bool,
}

struct Compiled {
    query: Query,
    specs: Vec<Spec>,
}

fn compiled() -> &'static Compiled {
    static Q: OnceLock<Compiled> = OnceLock::new();
    Q.get_or_init(|| {
        let lang = tree_sitter_python::LANGUAGE.into();
        let query = Query::new(&lang, include_str!("../../grammars/python/env-reads.scm"))
            .expect("env-reads.scm is a valid query");
        let specs = (0..query.pattern_count()).map(|i| spec(&query, i)).collect();
        Compiled { query, specs }
    })
}

fn spec(query: &Query, pattern: usize) -> Spec {
    let mut s = Spec { kind: Some(PatternKind::Read), ..Spec::default() };
    for p in query.property_settings(pattern) {
        let v = p.value.as_deref().unwrap_or("").to_string();
        let idx = v.parse::<usize>().ok();
        match &*p.key {
            "kind" => {
                s.kind = match v.as_str() {
                    "read" => Some(PatternKind::Read),
                    "contains" => Some(PatternKind::Contains),
                    "setdefault" => Some(PatternKind::SetDefault),
                    "prefix" => Some(PatternKind::Prefix),
                    "read-env" => Some(PatternKind::ReadEnv),
                    "cast-wrapper" => Some(PatternKind::CastWrapper),
                    "prefix-scope" => Some(PatternKind::PrefixScope),
                    _ => None,
                }
            }
            "callee" => s.callee = v.split('|').map(str::to_string).collect(),
            "api" => s.api = v,
            "requirement" => {
                s.requirement = match v.as_str() {
                    "required" => Some(Requirement::Required),
                    "optional" => Some(Requirement::Optional),
                    "runtime" => Some(Requirement::RuntimeRequired),
                    _ => None,
                }
            }
            "name-arg" => s.name_arg = idx,
            "name-kw" => s.name_kw = Some(v),
            "name-default" => s.name_default = Some(v),
            "name-suffix" => s.name_suffix = v,
            "default-arg" => s.default_arg = idx,
            "default-kw" => s.default_kw = Some(v),
            "cast" => s.cast = Some(v),
            "cast-arg" => s.cast_arg = idx,
            "cast-kw" => s.cast_kw = Some(v),
            "optional-kw" => s.optional_kw = Some(v),
            "path-arg" => s.path_arg = idx,
            "path-kw" => s.path_kw = Some(v),
            "search" => s.search_parents = v == "up",
            _ => {}
        }
    }
    s
}

#[derive(Default)]
struct Caps<'t> {
    read: Option<Node<'t>>,
    callee: Option<Node<'t>>,
    method: Option<Node<'t>>,
    args: Option<Node<'t>>,
    name: Option<Node<'t>>,
    inner: Option<Node<'t>>,
}

fn query_reads(tree: &Tree, text: &str, bindings: &Bindings) -> Extracted {
    let c = compiled();
    let names = c.query.capture_names();
    let mut out = Extracted::default();
    let mut seen = std::collections::HashSet::new();
    let mut wrappers: Vec<(Range<usize>, Cast)> = Vec::new();
    let mut scopes: Vec<(Range<usize>, String)> = Vec::new();
    let mut qualified: std::collections::HashMap<usize, Option<String>> = Default::default();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(&c.query, tree.root_node(), text.as_bytes());
    while let Some(m) = matches.next() {
        let spec = &c.specs[m.pattern_index];
        let Some(kind) = spec.kind else { continue };
        let mut caps = Caps::default();
        for cap in m.captures {
            let slot = match names[cap.index as usize] {
                "read" => &mut caps.read,
                "callee" => &mut caps.callee,
                "method" => &mut caps.method,
                "args" => &mut caps.args,
                "name" => &mut caps.name,
                "inner" => &mut caps.inner,
                _ => continue,
            };
            *slot = Some(cap.node);
        }
        let Some(read) = caps.read else { continue };
        if read.has_error() && read.kind() != "with_statement" {
            continue;
        }
        if !spec.callee.is_empty() {
            // Many patterns test the same callee: qualify each node once.
            let q = caps.callee.and_then(|n| {
                qualified.entry(n.id()).or_insert_with(|| bindings.qualify(n, text)).clone()
            });
            if !q.is_some_and(|q| spec.callee.contains(&q)) {
                continue;
            }
        }
        // The first matching pattern wins for an expression.
        if kind != PatternKind::CastWrapper && !seen.insert(read.byte_range()) {
            continue;
        }
        let method = caps.method.map(|n| node_text(n, text)).unwrap_or("");
        let args = caps.args.map(|a| Args::of(a, text)).unwrap_or_default();
        let api: Arc<str> = Arc::from(spec.api.replace("{method}", method));
        match kind {
            PatternKind::CastWrapper => {
                if let (Some(inner), Some(cast)) = (caps.inner, &spec.cast) {
                    wrappers.push((inner.byte_range(), cast_from_name(cast)));
                }
            }
            PatternKind::PrefixScope => {
                let Some(body) = read.child_by_field_name("body") else { continue };
                if let Some(prefix) = args.get(spec.name_arg, spec.name_kw.as_deref())
                    && let EnvName::Literal(p) = name_of(prefix, text).0
                {
                    scopes.push((body.byte_range(), p));
                }
            }
            PatternKind::ReadEnv => {
                let path = args.get(spec.path_arg, spec.path_kw.as_deref());
                let target = match path {
                    None => DotenvTarget::Default { search_parents: spec.search_parents },
                    Some(p) => dotenv_target(p, text),
                };
                out.dotenv_loads.push(DotenvLoad {
                    api,
                    target,
                    range: path.unwrap_or(read).byte_range(),
                    call_range: read.byte_range(),
                });
            }
            PatternKind::Read
            | PatternKind::Contains
            | PatternKind::SetDefault
            | PatternKind::Prefix => {
                // `os.environ["X"] = v` writes; `del os.environ["X"]` deletes.
                if read.kind() == "subscript" {
                    let parent = read.parent();
                    if let Some(p) = parent
                        && p.kind() == "assignment"
                        && p.child_by_field_name("left").map(|l| l.id()) == Some(read.id())
                    {
                        let (name, name_range) = name_of(caps.name.unwrap_or(read), text);
                        out.sets.push(EnvSet {
                            name,
                            name_range,
                            value: p.child_by_field_name("right").map(|r| default_of(r, text)),
                            call_range: p.byte_range(),
                            kind: SetKind::Assign,
                        });
                        continue;
                    }
                    if parent.is_some_and(|p| p.kind() == "delete_statement") {
                        continue;
                    }
                }
                let name_node =
                    caps.name.or_else(|| args.get(spec.name_arg, spec.name_kw.as_deref()));
                let (mut name, name_range) = match (name_node, &spec.name_default) {
                    (Some(n), _) => name_of(n, text),
                    (None, Some(d)) => (EnvName::Literal(d.clone()), read.byte_range()),
                    (None, None) => continue,
                };
                if let EnvName::Literal(n) = &mut name {
                    n.push_str(&spec.name_suffix);
                }
                let default = args
                    .get(spec.default_arg, spec.default_kw.as_deref())
                    .map(|d| default_of(d, text));
                let cast = match (args.get(spec.cast_arg, spec.cast_kw.as_deref()), &spec.cast) {
                    (Some(c), _) => cast_of(c, text),
                    (None, Some(c)) if c == "@method" => cast_from_name(method),
                    (None, Some(c)) => cast_from_name(c),
                    (None, None) => Cast::Str,
                };
                let silenced = spec
                    .optional_kw
                    .as_deref()
                    .and_then(|k| args.keyword(k))
                    .is_some_and(|v| node_text(v, text) == "True");
                let requirement = if default.is_some() || silenced {
                    Requirement::Optional
                } else {
                    spec.requirement.unwrap_or(Requirement::Optional)
                };
                if kind == PatternKind::SetDefault {
                    out.sets.push(EnvSet {
                        name: name.clone(),
                        name_range: name_range.clone(),
                        value: default.clone(),
                        call_range: read.byte_range(),
                        kind: SetKind::Default,
                    });
                }
                out.reads.push(EnvRead {
                    name,
                    name_range,
                    call_range: read.byte_range(),
                    api,
                    kind: match kind {
                        PatternKind::Contains => ReadKind::Contains,
                        PatternKind::Prefix => ReadKind::Prefix,
                        _ => ReadKind::Value,
                    },
                    requirement,
                    default,
                    cast,
                    case_sensitive: true,
                });
            }
        }
    }
    for read in &mut out.reads {
        if let Some((_, cast)) = wrappers.iter().find(|(r, _)| *r == read.call_range)
            && matches!(read.cast, Cast::Str)
        {
            read.cast = cast.clone();
        }
        if read.api.starts_with("environs") {
            // Nested `prefixed` blocks: outermost first, so prefixes concatenate in order.
            let mut prefix = String::new();
            for (range, p) in &scopes {
                if range.start <= read.call_range.start && read.call_range.end <= range.end {
                    prefix.push_str(p);
                }
            }
            if let (false, EnvName::Literal(n)) = (prefix.is_empty(), &mut read.name) {
                n.insert_str(0, &prefix);
            }
        }
    }
    super::schema::apply(tree, text, bindings, &mut out.reads);
    out
}

// ------------------------------------------------------------------ arguments and literals

#[derive(Default)]
pub(super) struct Args<'t> {
    positional: Vec<Node<'t>>,
    keywords: Vec<(&'t str, Node<'t>)>,
}

impl<'t> Args<'t> {
    pub(super) fn of(list: Node<'t>, text: &'t str) -> Args<'t> {
        let mut args = Args::default();
        let mut cursor = list.walk();
        for child in list.named_children(&mut cursor) {
            match child.kind() {
                "keyword_argument" => {
                    if let (Some(n), Some(v)) =
                        (child.child_by_field_name("name"), child.child_by_field_name("value"))
                    {
                        args.keywords.push((node_text(n, text), v));
                    }
                }
                "comment" => {}
                // After `*args` positions are unknown.
                "list_splat" | "dictionary_splat" => args.positional.push(child),
                _ => args.positional.push(child),
            }
        }
        args
    }

    pub(super) fn keyword(&self, name: &str) -> Option<Node<'t>> {
        self.keywords.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }

    pub(super) fn positional(&self, index: usize) -> Option<Node<'t>> {
        let splat = self.positional.iter().position(|n| n.kind().ends_with("splat"));
        if splat.is_some_and(|s| s <= index) {
            return None;
        }
        self.positional.get(index).copied()
    }

    fn get(&self, index: Option<usize>, kw: Option<&str>) -> Option<Node<'t>> {
        index.and_then(|i| self.positional(i)).or_else(|| kw.and_then(|k| self.keyword(k)))
    }
}

/// A plain string literal's decoded value and the range of its content (inside the quotes).
/// None for f-strings with interpolations and for anything that is not a string.
pub(super) fn string_value(node: Node, text: &str) -> Option<(String, Range<usize>)> {
    match node.kind() {
        "string" => {
            let mut value = String::new();
            let (mut start, mut end) = (None, None);
            let mut cursor = node.walk();
            for child in node.children(&mut cursor) {
                match child.kind() {
                    "string_start" => start = Some(child.end_byte()),
                    "string_end" => end = Some(child.start_byte()),
                    "string_content" => value.push_str(node_text(child, text)),
                    "escape_sequence" => value.push_str(&unescape(node_text(child, text))),
                    "interpolation" => return None,
                    _ => {}
                }
            }
            let range = start.unwrap_or(node.start_byte())..end.unwrap_or(node.end_byte());
            (range.start <= range.end).then_some((value, range))
        }
        "concatenated_string" => {
            let mut value = String::new();
            let mut cursor = node.walk();
            for part in node.named_children(&mut cursor) {
                if part.kind() == "comment" {
                    continue;
                }
                value.push_str(&string_value(part, text)?.0);
            }
            Some((value, node.byte_range()))
        }
        "parenthesized_expression" => string_value(node.named_child(0)?, text),
        _ => None,
    }
}

fn unescape(seq: &str) -> String {
    match seq {
        "\\n" => "\n".into(),
        "\\t" => "\t".into(),
        "\\r" => "\r".into(),
        "\\\\" => "\\".into(),
        "\\'" => "'".into(),
        "\\\"" => "\"".into(),
        "\\\n" => String::new(),
        other => other.to_string(),
    }
}

pub(super) fn name_of(node: Node, text: &str) -> (EnvName, Range<usize>) {
    match string_value(node, text) {
        Some((v, r)) => (EnvName::Literal(v), r),
        None => (EnvName::Unresolved, node.byte_range()),
    }
}

pub(super) fn default_of(node: Node, text: &str) -> DefaultArg {
    let value = match node.kind() {
        "none" => DefaultValue::None,
        "integer" | "float" | "true" | "false" => {
            DefaultValue::Literal(node_text(node, text).into())
        }
        "unary_operator"
            if node
                .named_child(0)
                .is_some_and(|n| n.kind() == "integer" || n.kind() == "float") =>
        {
            DefaultValue::Literal(node_text(node, text).into())
        }
        "list" | "tuple" | "dictionary" | "set" if is_constant(node, 0) => {
            DefaultValue::Literal(node_text(node, text).into())
        }
        _ => match string_value(node, text) {
            Some((v, _)) => DefaultValue::Str(v),
            None => DefaultValue::Expr,
        },
    };
    DefaultArg { value, range: node.byte_range() }
}

/// A display of literals only (`[]`, `["a", 1]`, `{"k": None}`).
fn is_constant(node: Node, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    match node.kind() {
        "string" => !node.children(&mut node.walk()).any(|c| c.kind() == "interpolation"),
        "integer" | "float" | "true" | "false" | "none" | "concatenated_string" => true,
        "list" | "tuple" | "dictionary" | "set" | "pair" | "parenthesized_expression" => {
            let mut cursor = node.walk();
            node.named_children(&mut cursor)
                .all(|c| c.kind() == "comment" || is_constant(c, depth + 1))
        }
        _ => false,
    }
}

fn dotenv_target(node: Node, text: &str) -> DotenvTarget {
    if let Some((v, _)) = string_value(node, text) {
        return DotenvTarget::Literal(v);
    }
    // The last string literal in the expression is usually the file name.
    let mut last = None;
    super::bindings::walk(node, &mut |n| {
        if let Some((v, _)) = string_value(n, text)
            && n.kind() == "string"
        {
            last = Some(v);
        }
    });
    match last {
        Some(file_name) => DotenvTarget::Joined { file_name },
        None => DotenvTarget::Unknown,
    }
}

/// A cast expression: `bool`, `int`, `Csv()`, `Choices(["a", "b"])`, `[str]`, `json.loads`…
pub(super) fn cast_of(node: Node, text: &str) -> Cast {
    match node.kind() {
        "list" => Cast::List,
        "tuple" => Cast::Tuple,
        "dictionary" => Cast::Dict,
        "call" => {
            let f = node.child_by_field_name("function").map(|f| node_text(f, text)).unwrap_or("");
            let last = f.rsplit('.').next().unwrap_or(f);
            match last {
                "Csv" => Cast::Csv,
                "Choices" => {
                    let mut choices = Vec::new();
                    if let Some(args) = node.child_by_field_name("arguments") {
                        super::bindings::walk(args, &mut |n| {
                            if n.kind() == "string"
                                && let Some((v, _)) = string_value(n, text)
                            {
                                choices.push(v);
                            }
                        });
                    }
                    Cast::Choices(choices)
                }
                _ => Cast::Unknown,
            }
        }
        _ => cast_from_name(node_text(node, text)),
    }
}

/// A cast named by a type, reader method or function: `bool`, `db_url`, `dj_database_url.parse`.
pub fn cast_from_name(name: &str) -> Cast {
    match name.trim() {
        "str" | "SecretStr" => Cast::Str,
        "bool" => Cast::Bool,
        "int" => Cast::Int,
        "float" | "decimal" | "Decimal" => Cast::Float,
        "list" | "List" => Cast::List,
        "tuple" | "Tuple" => Cast::Tuple,
        "dict" | "Dict" => Cast::Dict,
        "json" | "json.loads" | "Json" => Cast::Json,
        "url" | "AnyUrl" | "HttpUrl" | "AnyHttpUrl" => Cast::Url,
        "db_url" | "db" | "dj_db_url" | "dj_database_url.parse" | "PostgresDsn" | "MySQLDsn" => {
            Cast::DbUrl
        }
        "cache_url" | "cache" | "dj_cache_url" | "RedisDsn" => Cast::CacheUrl,
        "email_url" | "email" | "dj_email_url" => Cast::EmailUrl,
        "search_url" => Cast::SearchUrl,
        "path" | "Path" | "FilePath" | "DirectoryPath" => Cast::Path,
        _ => Cast::Unknown,
    }
}

#[cfg(test)]
#[path = "reads_tests.rs"]
mod tests;
