//! Result types of the editor features, shared by every file kind. Byte ranges only; the LSP
//! layer converts them.

use std::ops::Range;

use crate::diagnostics::Location;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverResult {
    /// The span the hover is about (highlighted by the editor).
    pub range: Range<usize>,
    /// Markdown.
    pub markdown: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Property,
    Value,
    Variable,
    Reference,
    File,
    Snippet,
    Module,
    EnumMember,
    Constant,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// What replaces `replace`; defaults to the label.
    pub insert_text: Option<String>,
    /// `insert_text` uses snippet syntax (`$1`, `${1:x}`, `$0`).
    pub snippet: bool,
    /// The bytes the completion replaces (the word being typed); empty at the cursor otherwise.
    pub replace: Range<usize>,
    pub sort_text: Option<String>,
    pub filter_text: Option<String>,
    pub deprecated: bool,
}

impl CompletionItem {
    pub fn new(label: impl Into<String>, kind: CompletionKind, replace: Range<usize>) -> Self {
        CompletionItem {
            label: label.into(),
            kind,
            detail: None,
            documentation: None,
            insert_text: None,
            snippet: false,
            replace,
            sort_text: None,
            filter_text: None,
            deprecated: false,
        }
    }
    pub fn detail(mut self, d: impl Into<String>) -> Self {
        self.detail = Some(d.into());
        self
    }
    pub fn docs(mut self, d: impl Into<String>) -> Self {
        self.documentation = Some(d.into());
        self
    }
    pub fn snippet(mut self, s: impl Into<String>) -> Self {
        self.insert_text = Some(s.into());
        self.snippet = true;
        self
    }
    pub fn insert(mut self, s: impl Into<String>) -> Self {
        self.insert_text = Some(s.into());
        self
    }
    pub fn sort(mut self, s: impl Into<String>) -> Self {
        self.sort_text = Some(s.into());
        self
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    File,
    Module,
    Namespace,
    Class,
    Function,
    Variable,
    Constant,
    Key,
    Property,
    Field,
    Event,
    Object,
    Array,
    String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole construct.
    pub range: Range<usize>,
    /// The name within it.
    pub selection: Range<usize>,
    pub children: Vec<Symbol>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    Region,
    Comment,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fold {
    /// Byte range; the LSP layer folds from the line of `start` to the line of `end`.
    pub range: Range<usize>,
    pub kind: FoldKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub range: Range<usize>,
    /// An absolute file path or a URL.
    pub target: String,
    pub tooltip: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub range: Range<usize>,
    pub write: bool,
}

/// Where a rename can happen and what it edits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameTarget {
    /// The span under the cursor that is being renamed.
    pub range: Range<usize>,
    pub placeholder: String,
    /// Every occurrence, in any file.
    pub occurrences: Vec<Location>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub range: Range<usize>,
    pub new_text: String,
}

/// Semantic token types berth emits; the LSP layer maps them to the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenType {
    Keyword,
    Variable,
    Parameter,
    Property,
    String,
    Number,
    Comment,
    Operator,
    Namespace,
    Type,
    Function,
    Macro,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SemanticToken {
    pub range: Range<usize>,
    pub kind: TokenType,
    pub readonly: bool,
}

/// Signature help: the syntax forms of the construct at the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHelp {
    pub signatures: Vec<Signature>,
    pub active_signature: usize,
    pub active_parameter: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub label: String,
    /// Markdown.
    pub documentation: Option<String>,
    /// Byte ranges of the parameters within `label`.
    pub parameters: Vec<Range<usize>>,
}
