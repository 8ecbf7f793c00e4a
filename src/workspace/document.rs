//! A document: its text as a rope, its tree-sitter tree, its version. A `Document` value is
//! immutable; an edit makes a new one that shares the old tree for an incremental re-parse.
//!
//! Both the tree and the model are built on first use, not on the edit: the protocol thread
//! only splices text, and an analysis that needs no tree (the Dockerfile model reads lines) can
//! run while the tree is re-parsed on the other core. Edits that arrive before anyone asked
//! for a tree are applied to the last parsed tree together, so the re-parse stays incremental.

use std::any::Any;
use std::cell::RefCell;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use crate::util::lock;

use ropey::Rope;
use tree_sitter::{InputEdit, Language, Parser, Point, Tree};

use super::kind::FileKind;

pub struct Document {
    pub path: Arc<Path>,
    pub kind: FileKind,
    /// The client's version; disk files have none.
    pub version: Option<i32>,
    pub rope: Rope,
    /// The same text, contiguous, for analyses that slice it. An `Arc<String>` rather than an
    /// `Arc<str>`: an edit builds the new text once and shares it, where `Arc<str>` would copy
    /// it again (a 300 KB compose file on every keystroke).
    pub text: Arc<String>,
    /// See [`Document::tree`].
    tree: Arc<LazyTree>,
    /// The per-kind model derived from this version, built on first use by the kind's module
    /// (`dockerfile::model(doc)`, …). One slot: a document has one kind.
    model: Arc<OnceLock<AnyModel>>,
    /// The model of an earlier version and the edits made since, until this version's model
    /// is built: lets a model reuse the parts of the old one that the edits did not touch.
    prev: Arc<Mutex<Option<PrevModel>>>,
    /// See [`Document::mentions_berth`].
    mentions_berth: OnceLock<bool>,
}

/// What every `# berth: …` comment contains.
const BERTH_MARK: &[u8] = b"berth:";

type AnyModel = Arc<dyn Any + Send + Sync>;

/// One text replacement, in the byte offsets of the text it was applied to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextChange {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl TextChange {
    /// One change that covers every change of `changes` (each in the offsets of the text it
    /// applied to): text before its start is untouched, text after its old end is shifted.
    /// None when there were no changes.
    pub fn covering(changes: &[TextChange]) -> Option<TextChange> {
        let (first, rest) = changes.split_first()?;
        let mut w = *first;
        for c in rest {
            // In the current text the span is `start..new_end`; join it with `c`.
            let end = w.new_end.max(c.old_end);
            w = TextChange {
                start: w.start.min(c.start),
                old_end: end + w.old_end - w.new_end,
                new_end: end + c.new_end - c.old_end,
            };
        }
        Some(w)
    }

    /// Where an offset of the old text lands in the new one, or None when the change replaced it.
    pub fn map(&self, offset: usize) -> Option<usize> {
        if offset <= self.start {
            Some(offset)
        } else if offset >= self.old_end {
            Some(offset - self.old_end + self.new_end)
        } else {
            None
        }
    }
}

/// An earlier version's model and the changes between its text and this one, in order.
#[derive(Clone)]
struct PrevModel {
    model: AnyModel,
    changes: Vec<TextChange>,
}

/// Past this many unmodelled edits the old model is dropped: a fresh build is cheaper than
/// reconciling a long edit log.
const MAX_PENDING_CHANGES: usize = 64;

#[derive(Default)]
struct LazyTree {
    cell: OnceLock<Option<Tree>>,
    /// Before `cell` is set: an earlier tree with this version's edits applied (`Tree::edit`),
    /// the start of an incremental parse. None: parse from scratch.
    pending: Mutex<Option<Tree>>,
}

impl LazyTree {
    fn parsed(tree: Option<Tree>) -> LazyTree {
        LazyTree { cell: OnceLock::from(tree), pending: Mutex::new(None) }
    }

    fn pending(old: Option<Tree>) -> LazyTree {
        LazyTree { cell: OnceLock::new(), pending: Mutex::new(old) }
    }

    /// The tree to continue from: the parsed one, or the pending edited one.
    fn base(&self) -> Option<Tree> {
        match self.cell.get() {
            Some(t) => t.clone(),
            None => lock(&self.pending).clone(),
        }
    }
}

impl Clone for Document {
    fn clone(&self) -> Self {
        Document {
            path: self.path.clone(),
            kind: self.kind,
            version: self.version,
            rope: self.rope.clone(),
            text: self.text.clone(),
            tree: self.tree.clone(),
            model: self.model.clone(),
            prev: self.prev.clone(),
            mentions_berth: self.mentions_berth.clone(),
        }
    }
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("path", &self.path)
            .field("kind", &self.kind)
            .field("version", &self.version)
            .field("len", &self.text.len())
            .finish()
    }
}

pub fn language(kind: FileKind) -> Option<Language> {
    match kind {
        FileKind::Dockerfile => Some(tree_sitter_containerfile::LANGUAGE.into()),
        FileKind::Compose => Some(tree_sitter_yaml::LANGUAGE.into()),
        FileKind::Python => Some(tree_sitter_python::LANGUAGE.into()),
        FileKind::Dotenv => None,
    }
}

thread_local! {
    // Parsers are cheap but not free to build; one per language per thread.
    static PARSERS: RefCell<Vec<(FileKind, Parser)>> = const { RefCell::new(Vec::new()) };
}

/// Larger documents are kept as text (edits and positions still work) but not parsed or
/// analysed: a tree for 20 MB of YAML costs more than any editor would wait for.
pub const MAX_PARSED_BYTES: usize = 8 * 1024 * 1024;

/// tree-sitter-yaml's scanner keeps one entry per open block level and serialises them into
/// tree-sitter's 1 KiB state buffer; past about 250 levels it overruns it and aborts the
/// process. A block level needs a deeper column than its parent, so the depth is at most the
/// widest run of indentation and block indicators (`- `, `? `, `: `) that starts a line.
const MAX_YAML_BLOCK_COLUMN: usize = 200;

/// Runs on every parse of a compose file, so it only jumps from line break to line break
/// (memchr) and looks closer at the rare line longer than the limit.
fn yaml_too_deep(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    ends.any(|end| {
        let line = &bytes[start..end];
        start = end + 1;
        line.len() > MAX_YAML_BLOCK_COLUMN
            && line[..=MAX_YAML_BLOCK_COLUMN]
                .iter()
                .all(|b| matches!(b, b' ' | b'\t' | b'-' | b'?' | b':'))
    })
}

/// Parse `text` as `kind`, reusing `old` (already `edit`ed) for an incremental parse.
pub fn parse(kind: FileKind, text: &str, old: Option<&Tree>) -> Option<Tree> {
    if text.len() > MAX_PARSED_BYTES {
        return None;
    }
    if kind == FileKind::Compose && yaml_too_deep(text) {
        return None;
    }
    let lang = language(kind)?;
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let idx = match parsers.iter().position(|(k, _)| *k == kind) {
            Some(i) => i,
            None => {
                let mut p = Parser::new();
                p.set_language(&lang).ok()?;
                parsers.push((kind, p));
                parsers.len() - 1
            }
        };
        parsers[idx].1.parse(text, old)
    })
}

impl Document {
    /// A document whose tree is parsed now (disk files, opened documents: their first
    /// analysis needs it anyway).
    pub fn new(path: Arc<Path>, kind: FileKind, version: Option<i32>, text: &str) -> Document {
        let tree = parse(kind, text, None);
        Document {
            path,
            kind,
            version,
            rope: Rope::from_str(text),
            text: Arc::new(text.into()),
            tree: Arc::new(LazyTree::parsed(tree)),
            model: Default::default(),
            prev: Default::default(),
            mentions_berth: OnceLock::new(),
        }
    }

    /// A document whose tree is parsed on first use: a file read from disk that no analysis
    /// may need the tree of (a Dockerfile's model reads lines; only its own diagnostics and
    /// requests parse it), so a workspace scan does not parse it up front.
    pub fn unparsed(
        path: Arc<Path>,
        kind: FileKind,
        version: Option<i32>,
        text: String,
    ) -> Document {
        Document {
            path,
            kind,
            version,
            rope: Rope::from_str(&text),
            text: Arc::new(text),
            tree: Arc::new(LazyTree::pending(None)),
            model: Default::default(),
            prev: Default::default(),
            mentions_berth: OnceLock::new(),
        }
    }

    /// The tree-sitter tree of this version, parsed (incrementally where possible) on first
    /// use. None for dotenv files (parsed by hand: the format is a line list), for text past
    /// the size and depth guards, and when a parse was cancelled.
    pub fn tree(&self) -> Option<&Tree> {
        self.tree
            .cell
            .get_or_init(|| {
                let old = lock(&self.tree.pending).take();
                let tree = old.and_then(|old| parse(self.kind, &self.text, Some(&old)));
                tree.or_else(|| parse(self.kind, &self.text, None))
            })
            .as_ref()
    }

    /// Whether the text contains `berth:` anywhere, as every `# berth: ignore` comment does:
    /// asked on every keystroke (files without one skip the suppression pass), answered for an
    /// edited version from the previous one's answer and the edit.
    pub fn mentions_berth(&self) -> bool {
        *self
            .mentions_berth
            .get_or_init(|| memchr::memmem::find(self.text.as_bytes(), BERTH_MARK).is_some())
    }

    /// Whether this version's tree has been parsed: a request that can do with less (compose
    /// completion reads one service's lines) uses the whole tree only when it is already there.
    pub fn has_parsed_tree(&self) -> bool {
        self.tree.cell.get().is_some()
    }

    /// The byte range clamped to the text and to char boundaries.
    pub fn clamp(&self, range: Range<usize>) -> Range<usize> {
        let len = self.text.len();
        let mut s = range.start.min(len);
        let mut e = range.end.min(len).max(s);
        while !self.text.is_char_boundary(s) {
            s -= 1;
        }
        while !self.text.is_char_boundary(e) {
            e += 1;
        }
        s..e
    }

    /// Apply one replacement (byte range, clamped) and re-parse incrementally.
    pub fn edit(&self, range: Range<usize>, new_text: &str, version: Option<i32>) -> Document {
        let range = self.clamp(range);
        let start_char = self.rope.byte_to_char(range.start);
        let end_char = self.rope.byte_to_char(range.end);
        let start_position = point(&self.rope, range.start);
        let old_end_position = point(&self.rope, range.end);

        let mut rope = self.rope.clone();
        rope.remove(start_char..end_char);
        rope.insert(start_char, new_text);
        let new_end_byte = range.start + new_text.len();
        let new_end_position = point(&rope, new_end_byte);

        let mut text = String::with_capacity(self.text.len() + new_text.len());
        text.push_str(&self.text[..range.start]);
        text.push_str(new_text);
        text.push_str(&self.text[range.end..]);

        let pending = self.tree.base().map(|mut old| {
            old.edit(&InputEdit {
                start_byte: range.start,
                old_end_byte: range.end,
                new_end_byte,
                start_position,
                old_end_position,
                new_end_position,
            });
            old
        });
        let change = TextChange { start: range.start, old_end: range.end, new_end: new_end_byte };
        let prev = match self.model.get() {
            Some(model) => Some(PrevModel { model: model.clone(), changes: vec![change] }),
            None => lock(&self.prev).clone().and_then(|mut p| {
                p.changes.push(change);
                (p.changes.len() <= MAX_PENDING_CHANGES).then_some(p)
            }),
        };
        // Without `berth:` before, the text has it now only if the edit wrote it: look around
        // the new text rather than through the whole file again.
        let mentions_berth = OnceLock::new();
        if self.mentions_berth.get() == Some(&false) {
            let lo = range.start.saturating_sub(BERTH_MARK.len() - 1);
            let hi = (new_end_byte + BERTH_MARK.len() - 1).min(text.len());
            if memchr::memmem::find(&text.as_bytes()[lo..hi], BERTH_MARK).is_none() {
                let _ = mentions_berth.set(false);
            }
        }
        Document {
            path: self.path.clone(),
            kind: self.kind,
            version,
            rope,
            text: Arc::new(text),
            tree: Arc::new(LazyTree::pending(pending)),
            model: Default::default(),
            prev: Arc::new(Mutex::new(prev)),
            mentions_berth,
        }
    }

    /// The same text under another version, sharing the tree and the models: for an editor
    /// opening a file whose disk copy the workspace scan already read and analysed (a second
    /// parse and model of a large compose file doubled the server's memory at that moment).
    pub fn with_version(&self, version: Option<i32>) -> Document {
        Document { version, ..self.clone() }
    }

    /// Replace the whole text (full sync, or a file changed on disk).
    pub fn replace_all(&self, text: &str, version: Option<i32>) -> Document {
        Document::new(self.path.clone(), self.kind, version, text)
    }

    /// The model of type `M` for this version, built once by `build`.
    pub fn model<M: Any + Send + Sync>(&self, build: impl FnOnce(&Document) -> M) -> Arc<M> {
        self.model_from_prev(|doc, _| build(doc))
    }

    /// Like [`Document::model`], but `build` also gets an earlier version's model and the
    /// changes from that version's text to this one (in order, each in the offsets of the text
    /// before it), when there is one: the material for reusing what the edits left alone.
    pub fn model_from_prev<M: Any + Send + Sync>(
        &self,
        build: impl FnOnce(&Document, Option<(&M, &[TextChange])>) -> M,
    ) -> Arc<M> {
        self.model_taking_prev(|doc, prev: Option<(Arc<M>, &[TextChange])>| {
            let model = build(doc, prev.as_ref().map(|(m, changes)| (&**m, *changes)));
            // The old model can be large (a 500-service compose file); free it off the
            // latency path.
            if let Some((m, _)) = prev {
                crate::util::drop_later(m);
            }
            model
        })
    }

    /// Like [`Document::model_from_prev`], but `build` gets the earlier model itself: when no
    /// one else holds it any more (the usual case while typing: the editor's previous version
    /// is gone), `Arc::try_unwrap` hands it over, and its parts can be moved into the new model
    /// instead of copied. `build` should free what it leaves with [`crate::util::drop_later`].
    pub fn model_taking_prev<M: Any + Send + Sync>(
        &self,
        build: impl FnOnce(&Document, Option<(Arc<M>, &[TextChange])>) -> M,
    ) -> Arc<M> {
        let any = self
            .model
            .get_or_init(|| {
                let prev = lock(&self.prev).take();
                let (old, changes) = match prev {
                    Some(p) => (p.model.downcast::<M>().ok(), p.changes),
                    None => (None, Vec::new()),
                };
                Arc::new(build(self, old.map(|m| (m, changes.as_slice())))) as AnyModel
            })
            .clone();
        // A document has exactly one kind and each kind one model type, so this cannot fail
        // unless two modules disagree on a kind's model type: a bug, caught by every test.
        any.downcast::<M>().expect("one model type per file kind")
    }

    /// 0-based line of a byte offset (LSP line breaks: `\n`, `\r\n`, `\r`).
    pub fn line_of(&self, byte: usize) -> usize {
        self.rope.byte_to_line(byte.min(self.text.len()))
    }

    /// Byte range of a 0-based line, without its line break.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let lines = self.rope.len_lines();
        if line >= lines {
            return self.text.len()..self.text.len();
        }
        let start = self.rope.line_to_byte(line);
        let end = if line + 1 < lines { self.rope.line_to_byte(line + 1) } else { self.text.len() };
        let content = &self.text[start..end];
        let trimmed = content.trim_end_matches(['\n', '\r']);
        start..start + trimmed.len()
    }
}

/// Tree-sitter points count rows by `\n` and columns in bytes. Rows follow the rope's line
/// breaks, which differ only for a lone `\r`; berth never reads tree points (all analysis uses
/// byte offsets), so that difference is harmless.
fn point(rope: &Rope, byte: usize) -> Point {
    let line = rope.byte_to_line(byte);
    Point { row: line, column: byte - rope.line_to_byte(line) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::path_arc;

    #[test]
    fn incremental_edit_matches_fresh_parse() {
        let d = Document::new(
            path_arc("/w/Dockerfile"),
            FileKind::Dockerfile,
            Some(1),
            "FROM python:3.12\nRUN pip install x\n",
        );
        let d2 = d.edit(5..11, "node", Some(2));
        assert_eq!(&*d2.text, "FROM node:3.12\nRUN pip install x\n");
        let fresh = Document::new(d.path.clone(), d.kind, None, &d2.text);
        assert_eq!(
            d2.tree().unwrap().root_node().to_sexp(),
            fresh.tree().unwrap().root_node().to_sexp()
        );
    }

    #[test]
    fn another_version_of_the_same_text_shares_its_tree_and_model() {
        let d = Document::new(path_arc("/w/Dockerfile"), FileKind::Dockerfile, None, "FROM a\n");
        let built = d.model(|doc| doc.text.len());
        let opened = d.with_version(Some(3));
        assert_eq!(opened.version, Some(3));
        assert!(std::ptr::eq(opened.tree().unwrap(), d.tree().unwrap()));
        assert!(Arc::ptr_eq(&opened.model(|_| 0usize), &built));
    }

    #[test]
    fn edits_before_the_tree_is_asked_for_still_parse_incrementally() {
        let d = Document::new(path_arc("/w/Dockerfile"), FileKind::Dockerfile, Some(1), "FROM a\n");
        let d2 = d.edit(5..6, "bb", Some(2)).edit(0..0, "# c\n", Some(3));
        assert_eq!(&*d2.text, "# c\nFROM bb\n");
        let fresh = Document::new(d.path.clone(), d.kind, None, &d2.text);
        assert_eq!(
            d2.tree().unwrap().root_node().to_sexp(),
            fresh.tree().unwrap().root_node().to_sexp()
        );
        assert!(!d2.tree().unwrap().root_node().has_error());
    }

    #[test]
    fn the_yaml_depth_guard_looks_at_the_start_of_every_line() {
        let deep = |n: usize, lead: &str| format!("{}x\n", lead.repeat(n));
        let at = MAX_YAML_BLOCK_COLUMN;
        for (text, too_deep) in [
            (deep(at, " "), false),
            (deep(at + 1, " "), true),
            (format!("a: 1\n{}", deep(at / 2 + 1, "- ")), true),
            (format!("a: 1\n{}", deep(at / 2, "- ")).trim_end().to_string(), false),
            (format!("a: 1\n{}b: 2", " ".repeat(at + 1)), true),
            (format!("a: 1\nx{}", " ".repeat(3 * at)), false),
            (String::new(), false),
        ] {
            assert_eq!(yaml_too_deep(&text), too_deep, "{text:?}");
        }
    }

    #[test]
    fn a_model_sees_the_previous_model_and_the_changes_since() {
        type M = (usize, Vec<TextChange>);
        let build = |d: &Document, prev: Option<(&M, &[TextChange])>| -> M {
            match prev {
                Some((old, changes)) => (old.0 + 1, changes.to_vec()),
                None => (d.text.len(), Vec::new()),
            }
        };
        let d = Document::new(path_arc("/w/.env"), FileKind::Dotenv, Some(1), "A=1\n");
        assert_eq!(*d.model_from_prev(build), (4, vec![]));
        // Two edits before the next model is built: both are reported, in order.
        let d3 = d.edit(2..3, "22", Some(2)).edit(0..0, "#\n", Some(3));
        let (generation, changes) = &*d3.model_from_prev(build);
        assert_eq!(*generation, 5);
        assert_eq!(
            changes,
            &vec![
                TextChange { start: 2, old_end: 3, new_end: 4 },
                TextChange { start: 0, old_end: 0, new_end: 2 }
            ]
        );
        assert_eq!(changes[1].map(3), Some(5));
        assert_eq!(changes[0].map(2), Some(2));
        assert_eq!(changes[0].map(3), Some(4));
        assert_eq!(TextChange { start: 1, old_end: 3, new_end: 1 }.map(2), None);
        // A replaced text has no predecessor.
        let r = d3.replace_all("B=2\n", Some(4));
        assert_eq!(*r.model_from_prev(build), (4, vec![]));
    }

    proptest::proptest! {
        /// Whether the text mentions `berth:`, carried from version to version by the edits,
        /// is whether it does: also when an edit splits or completes the mark, and when some
        /// versions were never asked.
        #[test]
        fn mentions_berth_follows_the_edits(
            edits in proptest::collection::vec(
                (0.0f64..1.0, 0usize..8, "(berth|ber|th:|:|h|x|é|\n){0,3}", proptest::bool::ANY),
                1..20,
            ),
        ) {
            let mut doc = Document::new(
                Path::new("/w/compose.yaml").into(),
                FileKind::Compose,
                None,
                "services: # bert\n  a: {}\n",
            );
            for (at, len, insert, ask) in edits {
                let mut start = (at * doc.text.len() as f64) as usize;
                while !doc.text.is_char_boundary(start) {
                    start -= 1;
                }
                let mut end = (start + len).min(doc.text.len());
                while !doc.text.is_char_boundary(end) {
                    end -= 1;
                }
                doc = doc.edit(start..end, &insert, None);
                if ask {
                    proptest::prop_assert_eq!(doc.mentions_berth(), doc.text.contains("berth:"));
                }
            }
            proptest::prop_assert_eq!(doc.mentions_berth(), doc.text.contains("berth:"));
        }
    }

    #[test]
    fn one_change_covers_a_series() {
        let c = |start, old_end, new_end| TextChange { start, old_end, new_end };
        assert_eq!(TextChange::covering(&[]), None);
        // "abcdef": insert "xy" at 1 ("axybcdef"), then replace "de" (now 5..7) with "Z".
        let w = TextChange::covering(&[c(1, 1, 3), c(5, 7, 6)]).unwrap();
        assert_eq!(w, c(1, 5, 6));
        // Old "bcde" (1..5) became new "xybcZ" (1..6); "f" moved from 5 to 6.
        assert_eq!(w.map(5), Some(6));
        assert_eq!(w.map(0), Some(0));
    }

    #[test]
    fn line_ranges_with_crlf() {
        let d = Document::new(path_arc("/w/.env"), FileKind::Dotenv, None, "A=1\r\nB=2\rC=3\n");
        assert_eq!(d.line_range(0), 0..3);
        assert_eq!(d.line_range(1), 5..8);
        assert_eq!(d.line_range(2), 9..12);
        assert_eq!(d.line_of(10), 2);
    }
}
