//! django-environ's schema: `env = environ.Env(DEBUG=(bool, False))` gives `DEBUG` a cast and a
//! default for every read through that instance (`env("DEBUG")`, `env.bool("DEBUG")`).

use tree_sitter::Tree;

use super::bindings::{Bindings, node_text, statements};
use super::reads::{Cast, DefaultArg, EnvName, EnvRead, Requirement, cast_of, default_of};

struct Entry {
    name: String,
    cast: Cast,
    default: Option<DefaultArg>,
}

pub(super) fn apply(tree: &Tree, text: &str, bindings: &Bindings, reads: &mut [EnvRead]) {
    if !reads.iter().any(|r| r.api.starts_with("django-environ")) {
        return;
    }
    let mut entries = Vec::new();
    // Schemas are made in assignments (`env = environ.Env(...)`): statements only.
    statements(tree.root_node(), 0, &mut |stmt| {
        let Some(node) = stmt
            .named_child(0)
            .filter(|a| a.kind() == "assignment")
            .and_then(|a| a.child_by_field_name("right"))
            .filter(|r| r.kind() == "call")
        else {
            return;
        };
        let (Some(f), Some(list)) =
            (node.child_by_field_name("function"), node.child_by_field_name("arguments"))
        else {
            return;
        };
        let q = bindings.qualify(f, text);
        if !matches!(q.as_deref(), Some("environ.Env" | "environ.FileAwareEnv")) {
            return;
        }
        let mut cursor = list.walk();
        for kw in list.named_children(&mut cursor).filter(|c| c.kind() == "keyword_argument") {
            let (Some(n), Some(v)) =
                (kw.child_by_field_name("name"), kw.child_by_field_name("value"))
            else {
                continue;
            };
            let name = node_text(n, text).to_string();
            let entry = if v.kind() == "tuple" {
                let mut c = v.walk();
                let items: Vec<_> =
                    v.named_children(&mut c).filter(|i| i.kind() != "comment").collect();
                Entry {
                    name,
                    cast: items.first().map(|c| cast_of(*c, text)).unwrap_or(Cast::Unknown),
                    default: items.get(1).map(|d| default_of(*d, text)),
                }
            } else {
                Entry { name, cast: cast_of(v, text), default: None }
            };
            entries.push(entry);
        }
    });
    for read in reads.iter_mut().filter(|r| r.api.starts_with("django-environ")) {
        let EnvName::Literal(name) = &read.name else { continue };
        let Some(e) = entries.iter().find(|e| e.name == *name) else { continue };
        if &*read.api == "django-environ env()" && read.cast == Cast::Str {
            read.cast = e.cast.clone();
        }
        if read.default.is_none()
            && let Some(d) = &e.default
        {
            read.default = Some(d.clone());
            read.requirement = Requirement::Optional;
        }
    }
}
