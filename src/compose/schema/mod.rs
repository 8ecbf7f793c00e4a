//! What a Compose file may contain: one static table that validation, completion and hover all
//! read. Facts follow the Compose Specification; every description is our own wording.
//!
//! A position in a file is a path of segments: map keys by name, sequence items as `"[]"`, and
//! user-chosen names (services, networks, …) as `"*"` (any other name matches there too, so a
//! path taken straight from a file works): `["services", "*", "ports", "[]", "published"]`.

mod build;
mod deploy;
mod service;
mod top;

/// The documentation of one key, or of the entries of a list or name map.
#[derive(Clone, Copy, Debug)]
pub struct KeySpec {
    /// The key; `"[]"` for a list item, `"*"` for an entry of a map with user-chosen names.
    pub name: &'static str,
    pub ty: Ty,
    /// One to three sentences, markdown.
    pub doc: &'static str,
    /// Why the key should no longer be used, when it should not.
    pub deprecated: Option<&'static str>,
    /// The names this position refers to: the value of a scalar or list item, or the key of a
    /// name-map entry (`depends_on: {db: …}`).
    pub refers: Option<NameKind>,
}

/// The shape of a value.
#[derive(Clone, Copy, Debug)]
pub enum Ty {
    Str,
    Int,
    /// Integer or decimal.
    Number,
    Bool,
    /// Go-style duration: `1m30s`, `10s`, `500ms`.
    Duration,
    /// Bytes as an integer or with a unit: `512m`, `1gb`.
    ByteSize,
    /// A string from a closed list.
    Enum(&'static [EnumValue]),
    /// A free string with common values worth suggesting.
    Suggest(&'static [EnumValue]),
    /// A string with its own syntax, checked by `values::check_format`.
    Format(Format),
    /// A mapping with a fixed set of keys.
    Object(&'static [KeySpec]),
    List(&'static KeySpec),
    /// A mapping whose keys are user-chosen names.
    Map(&'static KeySpec),
    /// Any of these forms (the first is the one completion opens).
    OneOf(&'static [Ty]),
    /// An explicitly empty value (`key:` with nothing after it).
    Null,
    /// Anything: driver options, extension fields.
    Any,
}

#[derive(Clone, Copy, Debug)]
pub struct EnumValue {
    pub name: &'static str,
    pub doc: &'static str,
}

/// String syntaxes with their own validator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `[[IP:]HOST:]CONTAINER[/PROTO]`, ranges allowed.
    Port,
    /// `[SOURCE:]TARGET[:MODE]`.
    Volume,
    /// `no`, `always`, `on-failure[:N]`, `unless-stopped`.
    Restart,
    /// `always`, `never`, `missing`, `build`, `daily`, `weekly`, `every_<duration>`, …
    PullPolicy,
    /// A positive decimal number of CPUs.
    Cpus,
    /// `host:ip` or `host=ip`.
    ExtraHost,
    /// `KEY=VALUE` (or a bare `KEY`) in the list form of a map.
    KeyValue,
    /// `HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]]`.
    Device,
}

/// The kinds of names a value can refer to; completion fills them from `complete::Names`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    Service,
    Network,
    Volume,
    Secret,
    Config,
    Model,
    /// A build stage of the service's Dockerfile.
    Stage,
    /// An `ARG` of the service's Dockerfile.
    BuildArg,
    Image,
}

impl KeySpec {
    pub const fn new(name: &'static str, ty: Ty, doc: &'static str) -> KeySpec {
        KeySpec { name, ty, doc, deprecated: None, refers: None }
    }
    pub const fn deprecated(mut self, why: &'static str) -> KeySpec {
        self.deprecated = Some(why);
        self
    }
    pub const fn refers(mut self, kind: NameKind) -> KeySpec {
        self.refers = Some(kind);
        self
    }
}

pub(crate) const fn key(name: &'static str, ty: Ty, doc: &'static str) -> KeySpec {
    KeySpec::new(name, ty, doc)
}

pub(crate) const fn val(name: &'static str, doc: &'static str) -> EnumValue {
    EnumValue { name, doc }
}

// Shapes shared by many keys.
pub(crate) const STR: Ty = Ty::Str;
pub(crate) const INT: Ty = Ty::Int;
pub(crate) const BOOL: Ty = Ty::Bool;
pub(crate) const DURATION: Ty = Ty::Duration;
pub(crate) const BYTES: Ty = Ty::ByteSize;
pub(crate) const STR_ITEM: KeySpec = key("[]", STR, "One entry of the list.");
pub(crate) const STR_LIST: Ty = Ty::List(&STR_ITEM);
pub(crate) const STR_OR_LIST: Ty = Ty::OneOf(&[STR, STR_LIST]);
/// `KEY: value` entries; values may be any scalar or empty.
pub(crate) const KV_ENTRY: KeySpec =
    key("*", Ty::OneOf(&[STR, Ty::Number, BOOL, Ty::Null]), "One entry: a name and its value.");
pub(crate) const KV_ITEM: KeySpec =
    key("[]", Ty::Format(Format::KeyValue), "One `KEY=VALUE` entry.");
/// A mapping, or a list of `KEY=VALUE` strings.
pub(crate) const MAP_OR_LIST: Ty = Ty::OneOf(&[Ty::Map(&KV_ENTRY), Ty::List(&KV_ITEM)]);
pub(crate) const STR_MAP_ENTRY: KeySpec = key("*", STR, "One option: a name and its value.");
/// Driver options and similar `name: string` maps.
pub(crate) const STR_MAP: Ty = Ty::Map(&STR_MAP_ENTRY);
pub(crate) const ANY_SPEC: KeySpec =
    key("*", Ty::Any, "A value Compose passes on without checking.");
/// Where `x-` keys are allowed, their content is free.
pub(crate) const EXTENSION: KeySpec = key(
    "x-*",
    Ty::Any,
    "An extension field: Compose ignores keys starting with `x-`, so they can hold shared \
     fragments reused through YAML anchors.",
);

pub(crate) static ROOT: KeySpec = key("", Ty::Object(top::TOP), "A Compose file.");

/// The spec of the key at `path`, or `None` when the path leaves the schema.
pub fn lookup(path: &[&str]) -> Option<&'static KeySpec> {
    let mut spec: &'static KeySpec = &ROOT;
    for seg in path {
        spec = step(&spec.ty, seg, 0)?;
    }
    Some(spec)
}

/// The keys of the mapping at `path`: an object's fixed keys, empty elsewhere.
pub fn children(path: &[&str]) -> &'static [KeySpec] {
    lookup(path).and_then(|s| object_keys(&s.ty)).unwrap_or(&[])
}

/// One step down from a value of shape `ty`.
pub(crate) fn step(ty: &'static Ty, seg: &str, depth: usize) -> Option<&'static KeySpec> {
    match ty {
        Ty::Object(keys) => {
            if seg.starts_with("x-") {
                return Some(&EXTENSION);
            }
            keys.iter().find(|k| k.name == seg)
        }
        Ty::Map(entry) if seg != "[]" => Some(entry),
        Ty::List(item) if seg == "[]" => Some(item),
        Ty::Any => Some(&ANY_SPEC),
        Ty::OneOf(alts) if depth < 4 => alts.iter().find_map(|t| step(t, seg, depth + 1)),
        _ => None,
    }
}

/// The fixed keys of the first object form of `ty`.
pub fn object_keys(ty: &Ty) -> Option<&'static [KeySpec]> {
    match ty {
        Ty::Object(keys) => Some(keys),
        Ty::OneOf(alts) => alts.iter().find_map(|t| match t {
            Ty::Object(keys) => Some(*keys),
            _ => None,
        }),
        _ => None,
    }
}

/// The entry spec of the first name-map form of `ty`.
pub fn map_entry(ty: &Ty) -> Option<&'static KeySpec> {
    match ty {
        Ty::Map(e) => Some(e),
        Ty::OneOf(alts) => alts.iter().find_map(|t| match t {
            Ty::Map(e) => Some(*e),
            _ => None,
        }),
        _ => None,
    }
}

/// The item spec of the first list form of `ty`.
pub fn list_item(ty: &Ty) -> Option<&'static KeySpec> {
    match ty {
        Ty::List(i) => Some(i),
        Ty::OneOf(alts) => alts.iter().find_map(|t| match t {
            Ty::List(i) => Some(*i),
            _ => None,
        }),
        _ => None,
    }
}

/// The closed or suggested string values of `ty` (searching its alternatives).
pub fn enum_values(ty: &Ty) -> &'static [EnumValue] {
    match ty {
        Ty::Enum(v) | Ty::Suggest(v) => v,
        Ty::Format(Format::Restart) => service::RESTART_VALUES,
        Ty::Format(Format::PullPolicy) => service::PULL_POLICY_VALUES,
        Ty::OneOf(alts) => alts.iter().map(enum_values).find(|v| !v.is_empty()).unwrap_or(&[]),
        _ => &[],
    }
}

impl Ty {
    /// A short human name of the shape, for hover and completion details.
    pub fn describe(&self) -> String {
        self.describe_at(0)
    }

    fn describe_at(&self, depth: usize) -> String {
        if depth > 3 {
            return "value".into();
        }
        match self {
            Ty::Str | Ty::Suggest(_) => "string".into(),
            Ty::Int => "integer".into(),
            Ty::Number => "number".into(),
            Ty::Bool => "boolean".into(),
            Ty::Duration => "duration".into(),
            Ty::ByteSize => "byte size".into(),
            Ty::Enum(_) => "enum".into(),
            Ty::Format(f) => match f {
                Format::Port => "port string",
                Format::Volume => "volume string",
                Format::Restart => "restart policy",
                Format::PullPolicy => "pull policy",
                Format::Cpus => "number of CPUs",
                Format::ExtraHost => "`HOST:IP`",
                Format::KeyValue => "`KEY=VALUE`",
                Format::Device => "device string",
            }
            .into(),
            Ty::Object(_) => "mapping".into(),
            Ty::List(item) => format!("list of {}", item.ty.describe_plural(depth + 1)),
            Ty::Map(entry) => format!("map of names to {}", entry.ty.describe_plural(depth + 1)),
            Ty::OneOf(alts) => {
                let parts: Vec<String> = alts
                    .iter()
                    .filter(|t| !matches!(t, Ty::Null))
                    .map(|t| t.describe_at(depth + 1))
                    .collect();
                parts.join(" or ")
            }
            Ty::Null => "empty".into(),
            Ty::Any => "any value".into(),
        }
    }

    fn describe_plural(&self, depth: usize) -> String {
        let one = self.describe_at(depth);
        match self {
            Ty::Str | Ty::Suggest(_) => "strings".into(),
            Ty::Object(_) => "mappings".into(),
            Ty::OneOf(_) if one.contains(" or ") => format!("({one})"),
            _ => one,
        }
    }
}

#[cfg(test)]
mod tests;
