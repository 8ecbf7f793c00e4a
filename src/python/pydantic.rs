//! pydantic-settings: every field of a `BaseSettings` subclass is an env read. The name is the
//! field name (or its alias) with the class's `env_prefix`, matched case-insensitively unless
//! `case_sensitive=True`; a default makes it optional; the annotation gives the cast.

use std::sync::Arc;

use tree_sitter::{Node, Tree};

use super::bindings::{Bindings, node_text, walk};
use super::reads::{
    Args, Cast, DefaultArg, DotenvLoad, DotenvTarget, EnvName, EnvRead, Extracted, ReadKind,
    Requirement, cast_from_name, default_of, string_value,
};

const API: &str = "pydantic-settings";

#[derive(Default)]
struct Config<'t> {
    prefix: String,
    case_sensitive: bool,
    env_files: Vec<Node<'t>>,
}

pub(super) fn extract<'t>(tree: &'t Tree, text: &'t str, bindings: &Bindings, out: &mut Extracted) {
    let mut classes = Vec::new();
    // Class definitions are statements; no need to look inside expressions.
    super::bindings::statements_and_classes(tree.root_node(), 0, &mut |n| {
        if n.kind() == "class_definition" {
            classes.push(n);
        }
    });
    // Subclasses of settings classes defined in the same module are settings classes too.
    let mut settings_names: Vec<String> = Vec::new();
    for class in classes {
        let Some(bases) = class.child_by_field_name("superclasses") else { continue };
        let args = Args::of(bases, text);
        let mut is_settings = false;
        let mut i = 0;
        while let Some(b) = args.positional(i) {
            i += 1;
            let q = bindings.qualify(b, text).unwrap_or_default();
            let last = q.rsplit('.').next().unwrap_or("");
            if last == "BaseSettings" || settings_names.contains(&q) {
                is_settings = true;
            }
        }
        if !is_settings {
            continue;
        }
        if let Some(name) = class.child_by_field_name("name") {
            settings_names.push(node_text(name, text).to_string());
        }
        let Some(body) = class.child_by_field_name("body") else { continue };
        let mut config = Config::default();
        read_config_kwargs(&args, text, &mut config);
        read_config(body, text, &mut config);
        for file in &config.env_files {
            out.dotenv_loads.push(DotenvLoad {
                api: Arc::from("pydantic-settings env_file"),
                target: match string_value(*file, text) {
                    Some((v, _)) => DotenvTarget::Literal(v),
                    None => DotenvTarget::Unknown,
                },
                range: file.byte_range(),
                call_range: class.byte_range(),
            });
        }
        fields(body, text, bindings, &config, out);
    }
}

fn read_config_kwargs<'t>(args: &Args<'t>, text: &str, config: &mut Config<'t>) {
    for key in ["env_prefix", "case_sensitive", "env_file"] {
        if let Some(v) = args.keyword(key) {
            set(key, v, text, config);
        }
    }
}

fn set<'t>(key: &str, value: Node<'t>, text: &str, config: &mut Config<'t>) {
    match key {
        "env_prefix" => {
            if let Some((v, _)) = string_value(value, text) {
                config.prefix = v;
            }
        }
        "case_sensitive" => config.case_sensitive = node_text(value, text) == "True",
        "env_file" => match value.kind() {
            "tuple" | "list" => {
                let mut c = value.walk();
                config
                    .env_files
                    .extend(value.named_children(&mut c).filter(|n| n.kind() != "comment"));
            }
            "none" => {}
            _ => config.env_files.push(value),
        },
        _ => {}
    }
}

/// `model_config = SettingsConfigDict(...)` / `= {...}` and the older `class Config:`.
fn read_config<'t>(body: Node<'t>, text: &'t str, config: &mut Config<'t>) {
    let mut cursor = body.walk();
    for stmt in body.named_children(&mut cursor) {
        if stmt.kind() == "class_definition"
            && stmt.child_by_field_name("name").is_some_and(|n| node_text(n, text) == "Config")
            && let Some(inner) = stmt.child_by_field_name("body")
        {
            let mut c = inner.walk();
            for s in inner.named_children(&mut c) {
                if let Some((left, Some(right))) = assignment(s) {
                    set(node_text(left, text), right, text, config);
                }
            }
        }
        let Some((left, Some(right))) = assignment(stmt) else { continue };
        if node_text(left, text) != "model_config" {
            continue;
        }
        match right.kind() {
            "call" => {
                if let Some(list) = right.child_by_field_name("arguments") {
                    read_config_kwargs(&Args::of(list, text), text, config);
                }
            }
            "dictionary" => {
                let mut c = right.walk();
                for pair in right.named_children(&mut c).filter(|p| p.kind() == "pair") {
                    if let (Some(k), Some(v)) =
                        (pair.child_by_field_name("key"), pair.child_by_field_name("value"))
                        && let Some((key, _)) = string_value(k, text)
                    {
                        set(&key, v, text, config);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `name: T = value` as (left, right) when the statement is an assignment to a plain name.
fn assignment(stmt: Node) -> Option<(Node, Option<Node>)> {
    let a = if stmt.kind() == "expression_statement" { stmt.named_child(0)? } else { stmt };
    if a.kind() != "assignment" {
        return None;
    }
    let left = a.child_by_field_name("left")?;
    (left.kind() == "identifier").then_some((left, a.child_by_field_name("right")))
}

fn fields(body: Node, text: &str, bindings: &Bindings, config: &Config, out: &mut Extracted) {
    let mut cursor = body.walk();
    for stmt in body.named_children(&mut cursor) {
        if stmt.kind() != "expression_statement" {
            continue;
        }
        let Some(a) = stmt.named_child(0).filter(|a| a.kind() == "assignment") else { continue };
        let (Some(left), Some(ty)) = (a.child_by_field_name("left"), a.child_by_field_name("type"))
        else {
            continue;
        };
        let field = node_text(left, text);
        let ty_text = node_text(ty, text);
        if left.kind() != "identifier"
            || field.starts_with('_')
            || field == "model_config"
            || ty_text.starts_with("ClassVar")
            || ty_text.contains(".ClassVar")
        {
            continue;
        }
        let right = a.child_by_field_name("right");
        let mut default: Option<DefaultArg> = None;
        let mut aliases: Vec<(String, std::ops::Range<usize>)> = Vec::new();
        match right {
            Some(r) if is_field_call(r, text, bindings) => {
                let args = r.child_by_field_name("arguments").map(|l| Args::of(l, text));
                if let Some(args) = args {
                    let d = args.positional(0).or_else(|| args.keyword("default"));
                    default = d.filter(|d| d.kind() != "ellipsis").map(|d| default_of(d, text));
                    if default.is_none()
                        && let Some(f) = args.keyword("default_factory")
                    {
                        default = Some(DefaultArg {
                            value: super::reads::DefaultValue::Expr,
                            range: f.byte_range(),
                        });
                    }
                    // validation_alias wins over alias for reading; v1 used `env=`.
                    for key in ["validation_alias", "alias", "env"] {
                        if let Some(v) = args.keyword(key) {
                            alias_names(v, text, &mut aliases);
                            if !aliases.is_empty() {
                                break;
                            }
                        }
                    }
                }
            }
            Some(r) => default = Some(default_of(r, text)),
            None => {}
        }
        let requirement =
            if default.is_some() { Requirement::Optional } else { Requirement::Required };
        let cast = annotation_cast(ty, text);
        let case = |s: String| if config.case_sensitive { s } else { s.to_ascii_uppercase() };
        let mut push = |name: String, range, requirement| {
            out.reads.push(EnvRead {
                name: EnvName::Literal(case(name)),
                name_range: range,
                call_range: stmt.byte_range(),
                api: Arc::from(API),
                kind: ReadKind::Value,
                requirement,
                default: default.clone(),
                cast: cast.clone(),
                case_sensitive: config.case_sensitive,
            })
        };
        if aliases.is_empty() {
            push(format!("{}{field}", config.prefix), left.byte_range(), requirement);
        } else {
            // An alias is the whole env name: the prefix does not apply. With alternatives
            // (`AliasChoices`) any one will do, so only the first carries the requirement.
            for (i, (name, range)) in aliases.into_iter().enumerate() {
                push(name, range, if i == 0 { requirement } else { Requirement::Optional });
            }
        }
    }
}

fn is_field_call(node: Node, text: &str, bindings: &Bindings) -> bool {
    node.kind() == "call"
        && node
            .child_by_field_name("function")
            .and_then(|f| bindings.qualify(f, text))
            .is_some_and(|q| q == "Field" || q.ends_with(".Field"))
}

/// `"X"`, `AliasChoices("X", "Y")`; AliasPath and computed aliases are skipped.
fn alias_names(node: Node, text: &str, out: &mut Vec<(String, std::ops::Range<usize>)>) {
    if let Some(v) = string_value(node, text) {
        out.push(v);
        return;
    }
    if node.kind() == "call"
        && node
            .child_by_field_name("function")
            .is_some_and(|f| node_text(f, text).ends_with("AliasChoices"))
        && let Some(list) = node.child_by_field_name("arguments")
    {
        let mut c = list.walk();
        for a in list.named_children(&mut c) {
            if let Some(v) = string_value(a, text) {
                out.push(v);
            }
        }
    }
}

/// The cast an annotation implies, looking through `Optional[T]`, `T | None`, `Annotated[T, …]`.
fn annotation_cast(ty: Node, text: &str) -> Cast {
    let mut node = ty;
    for _ in 0..8 {
        match node.kind() {
            "type" => match node.named_child(0) {
                Some(n) => node = n,
                None => break,
            },
            "binary_operator" => {
                // `T | None`: the first operand that is not None.
                let l = node.child_by_field_name("left");
                let r = node.child_by_field_name("right");
                match (l, r) {
                    (Some(l), _) if node_text(l, text) != "None" => node = l,
                    (_, Some(r)) => node = r,
                    _ => break,
                }
            }
            "generic_type" | "subscript" => {
                let base = node.named_child(0).map(|b| node_text(b, text)).unwrap_or("");
                let base = base.rsplit('.').next().unwrap_or(base);
                let first_arg = first_type_arg(node);
                match base {
                    "Optional" | "Annotated" => match first_arg {
                        Some(a) => node = a,
                        None => break,
                    },
                    "Literal" => {
                        let mut choices = Vec::new();
                        walk(node, &mut |n| {
                            if n.kind() == "string"
                                && let Some((v, _)) = string_value(n, text)
                            {
                                choices.push(v);
                            }
                        });
                        return Cast::Choices(choices);
                    }
                    "list" | "List" | "set" | "Set" | "Sequence" | "frozenset" => {
                        return Cast::List;
                    }
                    "tuple" | "Tuple" => return Cast::Tuple,
                    "dict" | "Dict" | "Mapping" => return Cast::Dict,
                    "Json" => return Cast::Json,
                    _ => return Cast::Unknown,
                }
            }
            _ => break,
        }
    }
    let t = node_text(node, text);
    cast_from_name(t.rsplit('.').next().unwrap_or(t))
}

fn first_type_arg(node: Node) -> Option<Node> {
    // generic_type: (identifier) (type_parameter (type) …); subscript: value, subscript.
    if node.kind() == "subscript" {
        return node.child_by_field_name("subscript");
    }
    let params = node.named_child(1)?;
    params.named_child(0)
}
