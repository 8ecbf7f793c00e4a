//! Schema-driven checks: keys the Compose Specification does not know (`unknown-key`) and
//! values of the wrong shape or syntax (`invalid-value`), read from `compose::schema`.

use std::ops::Range;
use std::sync::Arc;

use super::Ctx;
use crate::compose::model::Findings;
use crate::compose::schema::{self, KeySpec, Ty};
use crate::compose::values::{self, KeyCheck};
use crate::diagnostics::{Diagnostic, RuleInfo, Severity};
use crate::yaml::{Entry, MAX_DEPTH, Node, Style, Value};

pub const UNKNOWN_KEY: RuleInfo = RuleInfo {
    code: "unknown-key",
    scope: "compose",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    fixable: true,
    summary: "A key that the Compose Specification does not define at this place.",
    docs: "Compose rejects a file whose mappings hold keys it does not know, and a misspelt key \
(`enviroment`, `depends-on`) is easy to miss by eye. Keys starting with `x-` are extension \
fields and are always allowed.\n\n\
```yaml\nservices:\n  web:\n    imagee: python:3.12   # unknown-key\n```\n\n\
When a known key is spelt almost the same, the quick fix renames the key to it (`image`).",
};

pub const INVALID_VALUE: RuleInfo = RuleInfo {
    code: "invalid-value",
    scope: "compose",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fixable: false,
    summary: "A value of the wrong type or with a syntax Compose does not accept.",
    docs: "Each Compose key takes a value of a given shape: a mapping, a list, a number, a \
boolean, or a string with its own syntax (ports, durations, restart policies, byte sizes). A \
value of the wrong type is an error; a string that breaks its key's syntax is a warning. Values \
that use `${VAR}` interpolation are not checked, since their final text is only known when \
Compose runs.\n\n\
```yaml\nservices:\n  web:\n    restart: sometimes        # invalid-value\n    healthcheck:\n      \
interval: 10            # invalid-value: a duration needs a unit, e.g. `10s`\n```",
};

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let findings = ctx.model.schema_findings.current.get_or_init(|| {
        let mut found = Findings::default();
        if let (Some(root), Some(spec)) = (&ctx.model.yaml.root, schema::lookup(&[])) {
            let mut path = Vec::new();
            let prev = ctx.model.schema_findings.prev.as_deref();
            // One entry per section entry, about as many as last time: no rehashing.
            found.by_entry.reserve(prev.map_or(0, |p| p.by_entry.len()));
            Walker { ctx, out: &mut found.all, by_entry: &mut found.by_entry, prev }
                .node(root, spec, &mut path, None, 0);
        }
        Arc::new(found)
    });
    out.extend(findings.all.iter().cloned());
}

struct Walker<'c, 'o> {
    ctx: &'c Ctx<'c>,
    out: &'o mut Vec<Diagnostic>,
    /// The findings inside each top-level section and section entry, for the next version.
    by_entry: &'o mut crate::util::FastMap<usize, (Arc<str>, Range<usize>)>,
    /// The previous version's findings, for entries the model carried over from it.
    prev: Option<&'c Findings>,
}

/// Findings inside entries this shallow (sections and their entries: services, …) are kept
/// per entry, matching the pieces the YAML build reuses.
const CACHED_DEPTH: usize = 1;

impl<'a> Walker<'_, '_> {
    /// Check `node` written for `spec` at `path`; `key` is the key it is the value of.
    fn node(
        &mut self,
        node: &'a Node,
        spec: &'static KeySpec,
        path: &mut Vec<&'a str>,
        key: Option<&'a Entry>,
        depth: usize,
    ) {
        // Aliased content is checked where its anchor is written; `!reset` drops the value.
        if node.alias.is_some() || depth >= MAX_DEPTH || node.tag.as_deref() == Some("!reset") {
            return;
        }
        match &node.value {
            Value::Null => {}
            Value::Map(map) => {
                if !accepts(&spec.ty, Shape::Map) {
                    return self.wrong_shape(node, spec, key, "a mapping");
                }
                if matches!(spec.ty, Ty::Any) {
                    return;
                }
                // An empty key token is what error recovery leaves behind, not a written key.
                let written = map.iter().filter(|e| e.merged_from.is_none());
                let section = path.last().copied().unwrap_or("");
                // Shared by the map's entries: one allocation, not one per service.
                let shared: Option<Arc<str>> = (depth <= CACHED_DEPTH).then(|| section.into());
                let shared = || shared.clone().unwrap_or_default();
                for e in written.filter(|e| !e.key_range.is_empty()) {
                    let start = self.out.len();
                    // An entry carried over was a known key last time (only those are kept),
                    // and still is: same text, same place.
                    if depth <= CACHED_DEPTH && self.reuse(e, section) {
                        let end = self.out.len();
                        self.by_entry.insert(e.key_range.start, (shared(), start..end));
                        continue;
                    }
                    match values::check_key(path, &e.key) {
                        KeyCheck::Extension => {}
                        _ if e.key.starts_with("x-") => {}
                        KeyCheck::Known(child) if depth <= CACHED_DEPTH => {
                            path.push(&e.key);
                            self.node(&e.value, child, path, Some(e), depth + 1);
                            path.pop();
                            let end = self.out.len();
                            self.by_entry.insert(e.key_range.start, (shared(), start..end));
                        }
                        KeyCheck::Known(child) => {
                            path.push(&e.key);
                            self.node(&e.value, child, path, Some(e), depth + 1);
                            path.pop();
                        }
                        KeyCheck::Unknown { closest } => self.unknown_key(path, e, closest),
                    }
                }
            }
            Value::Seq(seq) => {
                let Some(item) = schema::list_item(&spec.ty) else {
                    if !accepts(&spec.ty, Shape::Seq) {
                        self.wrong_shape(node, spec, key, "a list");
                    }
                    return;
                };
                path.push("[]");
                for it in &seq.items {
                    self.node(it, item, path, None, depth + 1);
                }
                path.pop();
            }
            Value::Scalar(s) => {
                let quoted = !matches!(s.style, Style::Plain);
                if let Err(msg) = values::validate(spec, &s.text, quoted) {
                    // A scalar where only collections fit, or a bad number or boolean, is a
                    // wrong type; a string that breaks its key's syntax is a format problem.
                    let severity =
                        if is_type_error(&spec.ty) { Severity::Error } else { Severity::Warning };
                    let msg = match key {
                        Some(e) if !accepts(&spec.ty, Shape::Scalar) => {
                            format!("`{}` expects {}, not a single value", e.key, expected(spec))
                        }
                        _ => msg,
                    };
                    self.push(node.range.clone(), severity, INVALID_VALUE.code, msg);
                }
            }
        }
    }

    /// Take over the previous version's findings inside `e` (of the section `section`), when
    /// the model carried the entry over from it.
    fn reuse(&mut self, e: &Entry, section: &str) -> bool {
        let Some(prev) = self.prev else { return false };
        let Some(by) = self.ctx.model.yaml.reused(e.key_range.start) else { return false };
        let old_start = e.key_range.start.wrapping_add_signed(-by.delta);
        let Some((old_section, found)) = prev.by_entry.get(&old_start) else { return false };
        if &**old_section != section {
            return false;
        }
        let path = self.ctx.path();
        for d in &prev.all[found.clone()] {
            let mut d = d.clone();
            d.range = by.range(&d.range);
            for edit in d.fixes.iter_mut().flat_map(|f| f.edits.iter_mut()) {
                if edit.path == *path {
                    edit.range = by.range(&edit.range);
                }
            }
            for r in &mut d.related {
                if r.location.path == *path {
                    r.location.range = by.range(&r.location.range);
                }
            }
            self.out.push(d);
        }
        true
    }

    fn wrong_shape(&mut self, node: &Node, spec: &KeySpec, key: Option<&Entry>, given: &str) {
        let expected = expected(spec);
        let (range, msg) = match key {
            // A collection spans lines; point at the key it belongs to.
            Some(e) => {
                (e.key_range.clone(), format!("`{}` expects {expected}, not {given}", e.key))
            }
            None => (node.range.clone(), format!("expected {expected} here, not {given}")),
        };
        self.push(range, Severity::Error, INVALID_VALUE.code, msg);
    }

    fn unknown_key(&mut self, path: &[&str], e: &Entry, closest: Option<&str>) {
        let mut msg = format!("`{}` is not a key of {}", e.key, describe_place(path));
        if let Some(c) = closest {
            msg.push_str(&format!("; did you mean `{c}`?"));
        }
        let mut d = Diagnostic::new(
            self.ctx.path(),
            e.key_range.clone(),
            Severity::Warning,
            UNKNOWN_KEY.code,
            msg,
        );
        if let Some(c) = closest {
            d = d.with_fix(super::change_to(self.ctx, e.key_content.clone(), c));
        }
        self.out.push(d);
    }

    fn push(&mut self, range: Range<usize>, severity: Severity, code: &'static str, msg: String) {
        self.out.push(Diagnostic::new(self.ctx.path(), range, severity, code, msg));
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Map,
    Seq,
    Scalar,
}

/// Whether a value of `shape` fits one of the forms of `ty`.
fn accepts(ty: &Ty, shape: Shape) -> bool {
    match ty {
        Ty::Any => true,
        Ty::Object(_) | Ty::Map(_) => shape == Shape::Map,
        Ty::List(_) => shape == Shape::Seq,
        Ty::Null => false,
        Ty::OneOf(alts) => alts.iter().any(|t| accepts(t, shape)),
        _ => shape == Shape::Scalar,
    }
}

/// Whether a failed scalar check means a wrong type rather than a malformed string: no string
/// form is accepted at all.
fn is_type_error(ty: &Ty) -> bool {
    match ty {
        Ty::Str | Ty::Suggest(_) | Ty::Enum(_) | Ty::Format(_) | Ty::Duration | Ty::ByteSize => {
            false
        }
        Ty::OneOf(alts) => alts.iter().all(is_type_error),
        _ => true,
    }
}

/// The expected shape with its article: "a mapping", "an enum".
fn expected(spec: &KeySpec) -> String {
    let shape = spec.ty.describe();
    let article = if shape.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {shape}")
}

/// How a message names the mapping at `path`: "a service", "`build`", "the top level".
fn describe_place(path: &[&str]) -> String {
    match path {
        [] => "a Compose file's top level".into(),
        ["services", _] => "a service".into(),
        ["networks", _] => "a network".into(),
        ["volumes", _] => "a volume".into(),
        ["secrets", _] => "a secret".into(),
        ["configs", _] => "a config".into(),
        ["models", _] => "a model".into(),
        [.., parent, "[]"] => format!("an entry of `{parent}`"),
        [.., last] => format!("`{last}`"),
    }
}
