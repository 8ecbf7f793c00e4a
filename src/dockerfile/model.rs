//! The Dockerfile model: directives, instructions (keyword, flags, arguments, heredocs),
//! stages, ARG/ENV declarations and variable references, with Docker's scoping rules:
//! - ARGs before the first FROM are global and visible only in FROM lines, unless a stage
//!   redeclares them (`ARG X` without a value takes the global default);
//! - ARG and ENV are per stage; ENV (not ARG) is inherited through `FROM <stage>`;
//! - BuildKit's predefined ARGs (TARGETPLATFORM, proxies, …) are global, so a stage sees them
//!   only after `ARG NAME`.
//!
//! Built from the text by [`super::lexer`] (BuildKit reads Dockerfiles line by line, and the
//! `# escape=` directive changes how lines join, which the tree-sitter grammar cannot follow).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::lexer::{self, Logical, RawInstruction};
use crate::dockerfile::rules::cache::{Cache, Carried};
use crate::workspace::document::TextChange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The text with quotes and escapes removed.
    pub text: String,
    /// Source range of the raw word.
    pub range: Range<usize>,
    pub quoted: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub name_range: Range<usize>,
    pub value: Option<String>,
    pub value_range: Option<Range<usize>>,
    /// `--name=value` as a whole.
    pub range: Range<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    pub name: String,
    pub marker: Range<usize>,
    pub body: Range<usize>,
    pub end: Option<Range<usize>>,
}

/// A `KEY=value` (or legacy `KEY value`) pair of ENV, LABEL or ARG.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub key: String,
    pub key_range: Range<usize>,
    /// None for `ARG X` without a default.
    pub value: Option<String>,
    pub value_range: Option<Range<usize>>,
    /// Written as `KEY value` (no `=`).
    pub legacy: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// Upper-cased keyword.
    pub keyword: String,
    pub keyword_range: Range<usize>,
    /// The whole instruction, heredoc bodies included.
    pub range: Range<usize>,
    pub flags: Vec<Flag>,
    /// Whitespace-separated arguments after the flags (quotes respected).
    pub args: Vec<Word>,
    /// Source range of everything after the flags on the instruction line(s).
    pub args_range: Range<usize>,
    /// The arguments as written after the flags, continuations joined.
    pub args_text: String,
    /// The JSON (exec) form, when the arguments are a JSON string array.
    pub json: Option<Vec<Word>>,
    pub pairs: Vec<Pair>,
    pub heredocs: Vec<Heredoc>,
    pub stage: Option<usize>,
    /// The instruction behind `ONBUILD`.
    pub onbuild: Option<Box<Instruction>>,
    /// Codes named by `# hadolint ignore=…` comments directly above.
    pub hadolint_ignore: Vec<String>,
    pub logical: Logical,
    /// Logical offset where the arguments start (for mapping shell words back).
    pub args_logical_start: usize,
    /// The instruction spans several physical lines.
    pub multiline: bool,
}

impl Instruction {
    /// A copy with every source offset moved by `delta`.
    fn shifted(&self, delta: isize) -> Instruction {
        let mut i = self.clone();
        i.shift(delta);
        i
    }

    fn shift(&mut self, d: isize) {
        let sh = |r: &mut Range<usize>| {
            *r = r.start.wrapping_add_signed(d)..r.end.wrapping_add_signed(d);
        };
        sh(&mut self.keyword_range);
        sh(&mut self.range);
        sh(&mut self.args_range);
        for f in &mut self.flags {
            sh(&mut f.name_range);
            sh(&mut f.range);
            f.value_range.as_mut().map(sh);
        }
        for w in self.args.iter_mut().chain(self.json.iter_mut().flatten()) {
            sh(&mut w.range);
        }
        for p in &mut self.pairs {
            sh(&mut p.key_range);
            p.value_range.as_mut().map(sh);
        }
        for h in &mut self.heredocs {
            sh(&mut h.marker);
            sh(&mut h.body);
            h.end.as_mut().map(sh);
        }
        if let Some(inner) = &mut self.onbuild {
            inner.shift(d);
        }
        self.logical.shift(d);
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name.eq_ignore_ascii_case(name))
    }
    pub fn is(&self, kw: &str) -> bool {
        self.keyword == kw
    }

    /// The sources a COPY/ADD takes from the build context (every word but the destination);
    /// empty for other instructions, `--from` copies and heredoc bodies.
    pub fn context_sources(&self) -> &[Word] {
        if !(self.keyword == "COPY" || self.keyword == "ADD")
            || self.flag("from").is_some()
            || !self.heredocs.is_empty()
        {
            return &[];
        }
        let words = self.json.as_ref().unwrap_or(&self.args);
        words.split_last().map_or(&[], |(_, srcs)| srcs)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    pub text: String,
    pub range: Range<usize>,
    /// Repository part (registry and path), tag and digest, split on the text as written.
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(text: &str, range: Range<usize>) -> ImageRef {
        let (rest, digest) = match text.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (text, None),
        };
        let slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[slash..].rfind(':') {
            Some(i) => (rest[..slash + i].to_string(), Some(rest[slash + i + 1..].to_string())),
            None => (rest.to_string(), None),
        };
        ImageRef { text: text.to_string(), range, name, tag, digest }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// Index of the FROM instruction.
    pub from: usize,
    pub image: Option<ImageRef>,
    /// As written (BuildKit compares stage names case-insensitively).
    pub name: Option<String>,
    pub name_range: Option<Range<usize>>,
    pub as_range: Option<Range<usize>>,
    pub platform: Option<(String, Range<usize>)>,
    /// From the FROM line to the end of the stage's last instruction.
    pub range: Range<usize>,
    /// `FROM <earlier stage>`.
    pub base_stage: Option<usize>,
    pub instructions: Vec<usize>,
}

impl Stage {
    pub fn lower_name(&self) -> Option<String> {
        self.name.as_ref().map(|n| n.to_ascii_lowercase())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    Arg,
    Env,
    /// Set by BuildKit itself (platform, proxy and BUILDKIT_* args).
    Predefined,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarDecl {
    pub name: String,
    pub value: Option<String>,
    /// Range of the name in its declaration; None for predefined args.
    pub range: Option<Range<usize>>,
    pub kind: VarKind,
    /// None for global ARGs and predefined args.
    pub stage: Option<usize>,
    /// Where the declaration becomes visible (end of its instruction).
    pub visible_from: usize,
    pub instruction: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// `$X` / `${X…}` as a whole.
    pub range: Range<usize>,
    pub name_range: Range<usize>,
    /// Has a `:-`, `-`, `:+`, `+`, `:?` or `?` modifier.
    pub has_modifier: bool,
    pub instruction: usize,
    /// BuildKit expands it (false in RUN/CMD/ENTRYPOINT/SHELL/HEALTHCHECK, where the shell does).
    pub expanded: bool,
    /// Inside a FROM line (global scope).
    pub in_from: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub name: String,
    pub value: String,
    pub line: Range<usize>,
    pub name_range: Range<usize>,
    pub value_range: Range<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Model {
    pub directives: Vec<Directive>,
    pub escape: char,
    /// `# check=skip=A,B` (or `all`).
    pub check_skip: Vec<String>,
    pub check_skip_all: bool,
    /// `# check=error=true`.
    pub check_error: bool,
    /// Shared with the previous version's model where the edits did not touch them.
    pub instructions: Vec<Arc<Instruction>>,
    pub stages: Vec<Stage>,
    pub global_args: Vec<VarDecl>,
    /// Per stage, ARG and ENV declarations in order.
    pub stage_decls: Vec<Vec<VarDecl>>,
    pub refs: Vec<VarRef>,
    pub comments: Vec<Range<usize>>,
    pub empty_continuations: Vec<Range<usize>>,
    /// `# hadolint global ignore=…`.
    pub hadolint_global_ignore: Vec<String>,
    pub len: usize,
    /// Findings of the per-instruction checks, carried over with the reused instructions.
    pub(crate) findings: Cache,
    /// Syntax errors of each instruction's chunk (`crate::syntax`), carried likewise.
    pub(crate) syntax_errors: Carried<crate::syntax::ChunkErrors>,
}

pub const PREDEFINED_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "SOURCE_DATE_EPOCH",
    "BUILDKIT_CACHE_MOUNT_NS",
    "BUILDKIT_CONTEXT_KEEP_GIT_DIR",
    "BUILDKIT_INLINE_CACHE",
    "BUILDKIT_MULTI_PLATFORM",
    "BUILDKIT_SANDBOX_HOSTNAME",
    "BUILDKIT_SYNTAX",
];

pub fn is_predefined(name: &str) -> bool {
    PREDEFINED_ARGS.contains(&name) || name.starts_with("BUILDKIT_")
}

/// Instructions whose arguments BuildKit expands (`$X` is replaced before the instruction runs).
const EXPANDED: &[&str] = &[
    "ADD",
    "ARG",
    "COPY",
    "ENV",
    "EXPOSE",
    "FROM",
    "LABEL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

impl Model {
    pub fn build(text: &str) -> Model {
        let lexed = lexer::lex(text);
        let mut m = Model {
            escape: lexed.escape,
            comments: lexed.comments,
            empty_continuations: lexed.empty_continuations,
            len: text.len(),
            ..Default::default()
        };
        for d in lexed.directives {
            if d.name == "check" {
                for part in d.value.split(';') {
                    let (k, v) = part.split_once('=').unwrap_or((part, ""));
                    match k.trim().to_ascii_lowercase().as_str() {
                        "skip" => {
                            for s in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                                if s.eq_ignore_ascii_case("all") {
                                    m.check_skip_all = true;
                                } else {
                                    m.check_skip.push(s.to_string());
                                }
                            }
                        }
                        "error" => m.check_error = v.trim().eq_ignore_ascii_case("true"),
                        _ => {}
                    }
                }
            }
            m.directives.push(Directive {
                name: d.name,
                value: d.value,
                line: d.line,
                name_range: d.name_range,
                value_range: d.value_range,
            });
        }
        m.hadolint_global_ignore = global_ignores(text, &m.comments);
        // Instructions are large: growing the Vec step by step would copy them repeatedly.
        m.instructions.reserve_exact(lexed.instructions.len());
        for raw in lexed.instructions {
            let idx = m.instructions.len();
            let inst = instruction_of(raw, text, m.escape);
            collect_refs(&inst, idx, m.escape, &mut m.refs);
            m.instructions.push(Arc::new(inst));
        }
        m.build_stages();
        m
    }

    /// The model of `text`, reusing the instructions of `old` (the model of the text before
    /// `changes`) that the changes did not touch: those before the first change as they are,
    /// those after the last one moved by the length difference. Equal to `Model::build(text)`.
    pub fn build_from(text: &str, old: &Model, changes: &[TextChange]) -> Model {
        Model::build_with(text, old, old.instructions.clone(), None, changes)
    }

    /// [`Model::build_from`] taking `old` over: its instructions after the edit are moved in
    /// place (shifted without a copy) when nothing else holds them.
    pub fn build_taking(text: &str, mut old: Model, changes: &[TextChange]) -> Model {
        let instructions = std::mem::take(&mut old.instructions);
        let parts = StageParts {
            findings: std::mem::take(&mut old.findings),
            syntax_errors: std::mem::take(&mut old.syntax_errors),
            refs: std::mem::take(&mut old.refs),
            stages: std::mem::take(&mut old.stages),
            decls: std::mem::take(&mut old.stage_decls),
            global_args: std::mem::take(&mut old.global_args),
        };
        let m = Model::build_with(text, &old, instructions, Some(parts), changes);
        crate::util::drop_later(old);
        m
    }

    /// `olds`: `old`'s instructions (taken out of it, or shared with it); `parts`: its stages
    /// and declarations, when taken out of it.
    fn build_with(
        text: &str,
        old: &Model,
        mut olds: Vec<Arc<Instruction>>,
        mut parts: Option<StageParts>,
        changes: &[TextChange],
    ) -> Model {
        let Some(TextChange { start, old_end, new_end }) = TextChange::covering(changes) else {
            let mut m = Model { instructions: olds, ..old.clone() };
            if let Some(p) = parts {
                (m.stages, m.stage_decls, m.global_args) = (p.stages, p.decls, p.global_args);
                (m.refs, m.findings, m.syntax_errors) = (p.refs, p.findings, p.syntax_errors);
            }
            return m;
        };
        let delta = new_end as isize - old_end as isize;
        // Instructions the lexer finished reading before the first change (one that ran to the
        // end of the file, an open continuation or heredoc, has no successor). Edits at or
        // before the first instruction may change the directives: start over.
        let keep = olds.partition_point(|i| i.range.end < start);
        let keep = keep.min(olds.len().saturating_sub(1));
        if keep == 0 {
            return Model::build(text);
        }
        let b = text.as_bytes();
        let last_end = olds[keep - 1].range.end;
        let from = match b.get(last_end) {
            Some(b'\r') if b.get(last_end + 1) == Some(&b'\n') => last_end + 2,
            Some(_) => last_end + 1,
            None => last_end,
        };
        // The lexer resumes where an instruction of the untouched tail starts a line: from
        // there on, the old instructions are the new ones, moved by `delta`.
        let first_after = olds.partition_point(|i| i.range.start < old_end);
        let mut resume: Option<usize> = None;
        let (lexed, stop) = lexer::lex_from(text, from, old.escape, &mut |ls, _| {
            if ls < new_end {
                return false;
            }
            let rest = &text[ls..];
            let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
            let old_start = (ls + line.len() - line.trim_start().len()).wrapping_add_signed(-delta);
            // The old line must have started at the same place (not inside the edit).
            let old_ls = ls.wrapping_add_signed(-delta);
            resume = olds[first_after..]
                .binary_search_by_key(&old_start, |i| i.range.start)
                .ok()
                .map(|j| j + first_after)
                .filter(|&j| olds[j].logical.src(0) == old_ls);
            resume.is_some()
        });

        let mut m = Model {
            directives: old.directives.clone(),
            escape: old.escape,
            check_skip: old.check_skip.clone(),
            check_skip_all: old.check_skip_all,
            check_error: old.check_error,
            len: text.len(),
            ..Default::default()
        };
        let shift =
            |r: &Range<usize>| r.start.wrapping_add_signed(delta)..r.end.wrapping_add_signed(delta);
        let tail_from = stop.as_ref().map_or(usize::MAX, |s| s.line_start);
        let old_tail_from = tail_from.wrapping_add_signed(-delta);
        m.comments = old.comments.iter().filter(|c| c.start < from).cloned().collect();
        m.comments.extend(lexed.comments);
        m.empty_continuations =
            old.empty_continuations.iter().filter(|c| c.start < from).cloned().collect();
        m.empty_continuations.extend(lexed.empty_continuations);
        if stop.is_some() {
            m.comments.extend(old.comments.iter().filter(|c| c.start >= old_tail_from).map(shift));
            m.empty_continuations.extend(
                old.empty_continuations.iter().filter(|c| c.start >= old_tail_from).map(shift),
            );
        }
        m.hadolint_global_ignore = global_ignores(text, &m.comments);
        // The per-instruction caches: moved over when `old` was handed over, else copied.
        let tail_from = resume.filter(|_| stop.is_some());
        (m.syntax_errors, m.findings) = match parts.as_mut() {
            Some(p) => (
                std::mem::take(&mut p.syntax_errors).carry(
                    keep,
                    lexed.instructions.len(),
                    tail_from,
                ),
                std::mem::take(&mut p.findings).carry(keep, lexed.instructions.len(), tail_from),
            ),
            None => (
                Carried::copied(&old.syntax_errors, keep, lexed.instructions.len(), tail_from),
                Cache::carried(&old.findings, keep, lexed.instructions.len(), tail_from),
            ),
        };

        let old_len = olds.len();
        let tail: Vec<Arc<Instruction>> = resume.map_or(Vec::new(), |j| olds.split_off(j));
        let fresh = lexed.instructions.len();
        m.instructions.reserve_exact(keep + lexed.instructions.len() + tail.len());
        olds.truncate(keep);
        m.instructions.append(&mut olds);
        // The references: moved over when `old` was handed over, else copied.
        let mut refs = match parts.as_mut() {
            Some(p) => std::mem::take(&mut p.refs),
            None => old.refs.clone(),
        };
        let kept_refs = refs.partition_point(|r| r.instruction < keep);
        let mut fresh_refs = Vec::new();
        for raw in lexed.instructions {
            let idx = m.instructions.len();
            let inst = instruction_of(raw, text, m.escape);
            collect_refs(&inst, idx, m.escape, &mut fresh_refs);
            m.instructions.push(Arc::new(inst));
        }
        // The old instructions from `j` on are the new ones from `keep + fresh` on.
        let j = match (resume, &stop) {
            (Some(j), Some(_)) => j,
            _ => old_len,
        };
        if let (Some(j), Some(stop)) = (resume, stop) {
            let moved = m.instructions.len() as isize - j as isize;
            for (n, mut i) in tail.into_iter().enumerate() {
                if delta != 0 {
                    // Moved in place when this model was handed over; copied when shared.
                    match Arc::get_mut(&mut i) {
                        Some(inst) => inst.shift(delta),
                        None => i = Arc::new(i.shifted(delta)),
                    }
                }
                if n == 0 {
                    // The comments above it may have changed.
                    let ignore = hadolint_ignores(text, &stop.comments_above);
                    if ignore != i.hadolint_ignore {
                        Arc::make_mut(&mut i).hadolint_ignore = ignore;
                    }
                }
                m.instructions.push(i);
            }
            let tail_refs = refs.partition_point(|r| r.instruction < j);
            for r in &mut refs[tail_refs..] {
                r.range = shift(&r.range);
                r.name_range = shift(&r.name_range);
                r.instruction = r.instruction.wrapping_add_signed(moved);
            }
            refs.splice(kept_refs..tail_refs, fresh_refs);
        } else {
            refs.truncate(kept_refs);
            refs.append(&mut fresh_refs);
        }
        m.refs = refs;
        let spliced = parts.is_some_and(|p| m.splice_stages(p, keep, fresh, j, delta));
        if !spliced {
            m.build_stages();
        }
        m
    }

    /// The stages and declarations of `old` (`p`), updated for an edit that replaced its
    /// instructions `keep..j` with this model's `keep..keep + fresh` and moved the rest by
    /// `delta` bytes: what [`Model::build_stages`] computes, without rebuilding (and copying
    /// the names and values of) the stages the edit did not touch. False, leaving `self` as
    /// it was, when the edit adds or removes a stage or touches the global scope before the
    /// first FROM.
    fn splice_stages(
        &mut self,
        mut p: StageParts,
        keep: usize,
        fresh: usize,
        j: usize,
        delta: isize,
    ) -> bool {
        // The stage holding instruction `keep - 1`; none: the global ARGs may change.
        let Some(s0) = p.stages.partition_point(|s| s.from < keep).checked_sub(1) else {
            return false;
        };
        let region = keep..keep + fresh;
        let k = p.stages[s0 + 1..].partition_point(|s| s.from < j);
        let new_froms = self.instructions[region.clone()].iter().filter(|i| i.keyword == "FROM");
        if new_froms.count() != k {
            return false;
        }
        let moved = (keep + fresh) as isize - j as isize;
        let sh = |r: &mut Range<usize>| {
            *r = r.start.wrapping_add_signed(delta)..r.end.wrapping_add_signed(delta);
        };
        let mv = |i: usize| i.wrapping_add_signed(moved);
        let shift_decl = |d: &mut VarDecl| {
            d.range.as_mut().map(sh);
            d.visible_from = d.visible_from.wrapping_add_signed(delta);
            d.instruction = d.instruction.map(mv);
        };
        // Stages after the edit: moved.
        if delta != 0 || moved != 0 {
            for st in &mut p.stages[s0 + k + 1..] {
                st.from = mv(st.from);
                if let Some(im) = &mut st.image {
                    sh(&mut im.range);
                }
                st.name_range.as_mut().map(sh);
                st.as_range.as_mut().map(sh);
                if let Some((_, r)) = &mut st.platform {
                    sh(r);
                }
                sh(&mut st.range);
                for i in &mut st.instructions {
                    *i = mv(*i);
                }
            }
            for d in p.decls[s0 + k + 1..].iter_mut().flatten() {
                shift_decl(d);
            }
        }
        // Stages `s0..=s0 + k`: their instructions and declarations before the edit, those the
        // edit brought, then those after it (moved).
        let mut names_changed = false;
        let mut t = s0;
        let mut lists: Vec<Vec<usize>> = Vec::with_capacity(k + 1);
        let mut decls: Vec<Vec<VarDecl>> = Vec::with_capacity(k + 1);
        let start_stage = |t: usize,
                           list: &mut Vec<usize>,
                           ds: &mut Vec<VarDecl>,
                           p: &StageParts| {
            let old = &p.stages[t].instructions;
            list.extend(old.iter().copied().filter(|&i| i < keep));
            let old_ds = &p.decls[t];
            ds.extend(old_ds.iter().filter(|d| d.instruction.is_some_and(|i| i < keep)).cloned());
        };
        let (mut list, mut ds) = (Vec::new(), Vec::new());
        start_stage(t, &mut list, &mut ds, &p);
        for idx in region.clone() {
            if self.instructions[idx].keyword == "FROM" {
                lists.push(std::mem::take(&mut list));
                decls.push(std::mem::take(&mut ds));
                t += 1;
                let mut st = stage_from(&self.instructions[idx], t, idx);
                names_changed |= st.name != p.stages[t].name;
                st.instructions = std::mem::take(&mut p.stages[t].instructions);
                p.stages[t] = st;
                list.push(idx);
                set_stage(&mut self.instructions[idx], Some(t));
                continue;
            }
            set_stage(&mut self.instructions[idx], Some(t));
            let inst = &self.instructions[idx];
            stage_decls_of(inst, idx, Some(t), &p.global_args, &mut ds);
            list.push(idx);
        }
        lists.push(list);
        decls.push(ds);
        for (n, (mut list, mut ds)) in lists.into_iter().zip(decls).enumerate() {
            let t = s0 + n;
            let st = &mut p.stages[t];
            list.extend(st.instructions.iter().copied().filter(|&i| i >= j).map(mv));
            let old_ds = std::mem::take(&mut p.decls[t]);
            let after = old_ds.partition_point(|d| d.instruction.is_some_and(|i| i < j));
            ds.extend(old_ds.into_iter().skip(after).map(|mut d| {
                shift_decl(&mut d);
                d
            }));
            st.instructions = list;
            let last = *st.instructions.last().unwrap_or(&st.from);
            st.range = self.instructions[st.from].range.start..self.instructions[last].range.end;
            p.decls[t] = ds;
        }
        // A stage's base is the first earlier stage named like its image.
        let rebase = if names_changed { s0 + 1..p.stages.len() } else { s0 + 1..s0 + k + 1 };
        for t in rebase {
            let (earlier, rest) = p.stages.split_at_mut(t);
            let st = &mut rest[0];
            st.base_stage = st.image.as_ref().and_then(|im| {
                earlier
                    .iter()
                    .position(|s| s.name.as_ref().is_some_and(|n| n.eq_ignore_ascii_case(&im.text)))
            });
        }
        (self.stages, self.stage_decls, self.global_args) = (p.stages, p.decls, p.global_args);
        true
    }

    fn build_stages(&mut self) {
        let mut decls: Vec<Vec<VarDecl>> = Vec::new();
        for idx in 0..self.instructions.len() {
            let inst = &self.instructions[idx];
            if inst.keyword == "FROM" {
                let index = self.stages.len();
                let mut st = stage_from(inst, index, idx);
                st.base_stage = st.image.as_ref().and_then(|im| {
                    self.stages.iter().position(|s| {
                        s.name.as_ref().is_some_and(|n| n.eq_ignore_ascii_case(&im.text))
                    })
                });
                self.stages.push(st);
                decls.push(Vec::new());
                set_stage(&mut self.instructions[idx], Some(index));
                continue;
            }
            let stage = self.stages.len().checked_sub(1);
            set_stage(&mut self.instructions[idx], stage);
            let inst = &self.instructions[idx];
            let end = inst.range.end;
            if let Some(s) = stage {
                self.stages[s].instructions.push(idx);
                self.stages[s].range.end = end;
            }
            match stage {
                Some(s) => stage_decls_of(inst, idx, stage, &self.global_args, &mut decls[s]),
                // Before the first FROM only ARGs declare anything (each seeing the ones
                // before it, in the same instruction too).
                None if inst.keyword == "ARG" => {
                    for p in &inst.pairs {
                        let value = p.value.clone().or_else(|| {
                            let g = self.global_args.iter().rev().find(|g| g.name == p.key);
                            g.and_then(|g| g.value.clone())
                        });
                        self.global_args.push(VarDecl {
                            name: p.key.clone(),
                            value,
                            range: Some(p.key_range.clone()),
                            kind: VarKind::Arg,
                            stage: None,
                            visible_from: end,
                            instruction: Some(idx),
                        });
                    }
                }
                None => {}
            }
        }
        self.stage_decls = decls;
    }

    pub fn instruction_at(&self, offset: usize) -> Option<usize> {
        let i = self.instructions.partition_point(|i| i.range.start <= offset);
        let i = i.checked_sub(1)?;
        (offset <= self.instructions[i].range.end).then_some(i)
    }

    /// The stage whose FROM line or body holds `offset` (None before the first FROM).
    pub fn stage_at(&self, offset: usize) -> Option<usize> {
        let i = self.stages.partition_point(|s| s.range.start <= offset);
        i.checked_sub(1)
    }

    pub fn stage_by_name(&self, name: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.name.as_ref().is_some_and(|n| n.eq_ignore_ascii_case(name)))
    }

    /// A stage by name or by index (`COPY --from=0`).
    pub fn stage_by_ref(&self, r: &str) -> Option<&Stage> {
        match r.parse::<usize>() {
            Ok(i) => self.stages.get(i),
            Err(_) => self.stage_by_name(r),
        }
    }

    /// The stage `docker build --target` builds: the named one, or the last.
    pub fn runtime_stage(&self, target: Option<&str>) -> Option<&Stage> {
        match target {
            Some(t) => self.stage_by_name(t),
            None => self.stages.last(),
        }
    }

    /// Is `offset` inside a FROM line (where only global args are visible)?
    fn in_from_line(&self, offset: usize) -> bool {
        self.instruction_at(offset).is_some_and(|i| self.instructions[i].keyword == "FROM")
    }

    /// Every variable visible at `offset`, one per name (the one that wins).
    pub fn vars_in_scope(&self, offset: usize) -> Vec<VarDecl> {
        let mut out: Vec<VarDecl> = Vec::new();
        let put = |d: VarDecl, out: &mut Vec<VarDecl>| {
            match out.iter_mut().find(|o| o.name == d.name) {
                // An ARG never overrides an ENV of the same name.
                Some(o) if o.kind == VarKind::Env && d.kind == VarKind::Arg => {}
                Some(o) => *o = d,
                None => out.push(d),
            }
        };
        let stage = self.stage_at(offset);
        if stage.is_none() || self.in_from_line(offset) {
            for name in PREDEFINED_ARGS {
                put(predefined(name), &mut out);
            }
            for g in self.global_args.iter().filter(|g| g.visible_from <= offset) {
                put(g.clone(), &mut out);
            }
            return out;
        }
        let s = stage.unwrap_or(0);
        for e in self.env_of_stage_inherited(s) {
            put(e, &mut out);
        }
        for d in self.stage_decls.get(s).into_iter().flatten() {
            if d.visible_from <= offset {
                put(d.clone(), &mut out);
            }
        }
        out
    }

    /// The declaration of `name` that wins at `offset`: the same answer as looking `name` up in
    /// `vars_in_scope`, without building (and cloning) the whole scope; called once per reference.
    pub fn resolve_var(&self, offset: usize, name: &str) -> Option<VarDecl> {
        let found = self.resolve_in(offset, name)?;
        Some(found.cloned().unwrap_or_else(|| predefined(name)))
    }

    /// Is `name` visible at `offset` (what `resolve_var(..).is_some()` says, without a copy)?
    pub fn is_defined(&self, offset: usize, name: &str) -> bool {
        self.resolve_in(offset, name).is_some()
    }

    /// The winning declaration, `Some(None)` for a predefined arg, `None` when undefined.
    fn resolve_in(&self, offset: usize, name: &str) -> Option<Option<&VarDecl>> {
        let stage = self.stage_at(offset);
        if stage.is_none() || self.in_from_line(offset) {
            let last =
                self.global_args.iter().rfind(|g| g.visible_from <= offset && g.name == name);
            return match last {
                Some(g) => Some(Some(g)),
                None if PREDEFINED_ARGS.contains(&name) => Some(None),
                None => None,
            };
        }
        let s = stage.unwrap_or(0);
        let mut found = self.inherited_env_named(s, name);
        for d in self.stage_decls.get(s).into_iter().flatten() {
            // An ARG never overrides an ENV of the same name.
            let shadowed = found.is_some_and(|o| o.kind == VarKind::Env && d.kind == VarKind::Arg);
            if d.visible_from <= offset && d.name == name && !shadowed {
                found = Some(d);
            }
        }
        found.map(Some)
    }

    /// Does `stage` inherit an ENV `name` from the stages it builds on?
    pub fn inherits_env(&self, stage: usize, name: &str) -> bool {
        self.inherited_env_named(stage, name).is_some()
    }

    /// The last ENV `name` along the base stage chain of `stage` (what `env_of_stage_inherited`
    /// keeps for that name).
    fn inherited_env_named(&self, stage: usize, name: &str) -> Option<&VarDecl> {
        let mut cur = stage;
        // Base stages always come earlier, so this terminates.
        while let Some(b) = self.stages.get(cur).and_then(|s| s.base_stage).filter(|&b| b < cur) {
            let decls = self.stage_decls.get(b).map_or(&[][..], Vec::as_slice);
            if let Some(d) = decls.iter().rfind(|d| d.kind == VarKind::Env && d.name == name) {
                return Some(d);
            }
            cur = b;
        }
        None
    }

    /// ENV inherited from the base stage chain (`FROM <stage>`), in order.
    fn env_of_stage_inherited(&self, stage: usize) -> Vec<VarDecl> {
        match self.stages.get(stage).and_then(|s| s.base_stage) {
            // Base stages always come earlier, so this terminates.
            Some(b) if b < stage => self.env_of_stage(b),
            _ => Vec::new(),
        }
    }

    /// The environment a stage's image ends up with (ENV only, inherited first), in order.
    pub fn env_of_stage(&self, stage: usize) -> Vec<VarDecl> {
        let mut out = self.env_of_stage_inherited(stage);
        for d in self.stage_decls.get(stage).into_iter().flatten() {
            if d.kind == VarKind::Env {
                out.retain(|o| o.name != d.name);
                out.push(d.clone());
            }
        }
        out
    }

    /// Every ARG a build can set (`build.args` in compose): global and per-stage, one per name.
    pub fn args_declared(&self) -> Vec<VarDecl> {
        let mut out: Vec<VarDecl> = Vec::new();
        let all = self.global_args.iter().chain(self.stage_decls.iter().flatten());
        for d in all.filter(|d| d.kind == VarKind::Arg) {
            if !out.iter().any(|o| o.name == d.name) {
                out.push(d.clone());
            }
        }
        out
    }

    /// The declaration a reference resolves to.
    pub fn decl_of_ref(&self, r: &VarRef) -> Option<VarDecl> {
        self.resolve_var(r.range.start, &r.name)
    }

    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }
}

/// A model's references, stages and declarations, taken out of it for the next version's model.
struct StageParts {
    findings: Cache,
    syntax_errors: Carried<crate::syntax::ChunkErrors>,
    refs: Vec<VarRef>,
    stages: Vec<Stage>,
    decls: Vec<Vec<VarDecl>>,
    global_args: Vec<VarDecl>,
}

/// The stage a FROM instruction starts (`base_stage` still unknown).
fn stage_from(inst: &Instruction, index: usize, idx: usize) -> Stage {
    let image = inst.args.first().map(|w| ImageRef::parse(&w.text, w.range.clone()));
    let (as_range, name, name_range) = match (inst.args.get(1), inst.args.get(2)) {
        (Some(a), Some(n)) if a.text.eq_ignore_ascii_case("as") => {
            (Some(a.range.clone()), Some(n.text.clone()), Some(n.range.clone()))
        }
        _ => (None, None, None),
    };
    let platform =
        inst.flag("platform").and_then(|f| Some((f.value.clone()?, f.value_range.clone()?)));
    Stage {
        index,
        from: idx,
        image,
        name,
        name_range,
        as_range,
        platform,
        range: inst.range.clone(),
        base_stage: None,
        instructions: vec![idx],
    }
}

/// The ARG and ENV declarations of instruction `idx` in `stage`, appended to `out`; an ARG
/// without a value takes the last global ARG's of the same name.
fn stage_decls_of(
    inst: &Instruction,
    idx: usize,
    stage: Option<usize>,
    global_args: &[VarDecl],
    out: &mut Vec<VarDecl>,
) {
    let kind = match inst.keyword.as_str() {
        "ARG" => VarKind::Arg,
        "ENV" => VarKind::Env,
        _ => return,
    };
    for p in &inst.pairs {
        let mut value = p.value.clone();
        if kind == VarKind::Arg
            && value.is_none()
            && let Some(g) = global_args.iter().rev().find(|g| g.name == p.key)
        {
            value = g.value.clone();
        }
        out.push(VarDecl {
            name: p.key.clone(),
            value,
            range: Some(p.key_range.clone()),
            kind,
            stage,
            visible_from: inst.range.end,
            instruction: Some(idx),
        });
    }
}

/// Set an instruction's stage, copying a shared instruction only when it changes.
fn set_stage(inst: &mut Arc<Instruction>, stage: Option<usize>) {
    if inst.stage != stage {
        Arc::make_mut(inst).stage = stage;
    }
}

/// The instruction of a lexed one: parsed, with its heredocs and `# hadolint ignore=` codes.
fn instruction_of(raw: RawInstruction, text: &str, escape: char) -> Instruction {
    let mut inst = parse_instruction(raw.logical, 0, escape);
    inst.range = raw.range;
    inst.heredocs = raw
        .heredocs
        .into_iter()
        .map(|h| Heredoc { name: h.name, marker: h.marker, body: h.body, end: h.end })
        .collect();
    inst.hadolint_ignore = hadolint_ignores(text, &raw.comments_above);
    let inner_heredocs = inst.heredocs.clone();
    if let Some(inner) = inst.onbuild.as_mut() {
        inner.heredocs = inner_heredocs;
        inner.range = inner.keyword_range.start..inst.range.end;
    }
    inst
}

/// Codes of `# hadolint ignore=…` comments (the ones directly above an instruction).
fn hadolint_ignores(text: &str, comments: &[Range<usize>]) -> Vec<String> {
    let mut out = Vec::new();
    for c in comments {
        let s = text[c.clone()].trim_start().trim_start_matches('#').trim_start();
        if let Some(rest) = s.strip_prefix("hadolint ignore=") {
            out.extend(codes(rest));
        }
    }
    out
}

/// Codes of `# hadolint global ignore=…` comments anywhere.
fn global_ignores(text: &str, comments: &[Range<usize>]) -> Vec<String> {
    let mut out = Vec::new();
    for c in comments {
        let s = text[c.clone()].trim_start().trim_start_matches('#').trim_start();
        if let Some(rest) = s.strip_prefix("hadolint global ignore=") {
            out.extend(codes(rest));
        }
    }
    out
}

fn predefined(name: &str) -> VarDecl {
    VarDecl {
        name: name.to_string(),
        value: None,
        range: None,
        kind: VarKind::Predefined,
        stage: None,
        visible_from: 0,
        instruction: None,
    }
}

fn codes(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split([',', ' ']).map(str::trim).filter(|c| !c.is_empty()).map(str::to_string)
}

fn is_space(c: u8) -> bool {
    c == b' ' || c == b'\t' || c == 0x0c
}

/// The first index at or after `from` whose byte is ASCII and satisfies `stop` (or the end),
/// never inside a multi-byte char.
fn run_end(b: &[u8], from: usize, stop: impl Fn(u8) -> bool) -> usize {
    let mut j = from;
    while j < b.len() && (b[j] >= 0x80 || !stop(b[j])) {
        j += 1;
    }
    j
}

/// Whitespace-separated words of `s[from..]` (logical offsets), quotes and escapes respected.
pub fn words(s: &str, from: usize, escape: char) -> Vec<(String, Range<usize>, bool)> {
    let b = s.as_bytes();
    let esc = escape as u8;
    let mut out = Vec::new();
    let mut i = from;
    while i < b.len() {
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        let mut text = String::new();
        let mut quoted = false;
        let mut quote: Option<u8> = None;
        while i < b.len() {
            let c = b[i];
            match quote {
                Some(q) if c == q => {
                    quote = None;
                    i += 1;
                }
                Some(b'"') if c == esc && i + 1 < b.len() => {
                    // The escaped character may be multi-byte: step over all of it.
                    let n = s[i + 1..].chars().next().unwrap_or(' ');
                    if n == '"' || n == esc as char || n == '$' {
                        text.push(n);
                    } else {
                        text.push(c as char);
                        text.push(n);
                    }
                    i += 1 + n.len_utf8();
                }
                Some(q) => {
                    // Copy the run up to the next byte that matters in one go (all of those are
                    // ASCII, so the run ends on a char boundary).
                    let stop = |c: u8| c == q || (q == b'"' && c == esc);
                    let end = run_end(b, i + 1, stop);
                    text.push_str(&s[i..end]);
                    i = end;
                }
                None if is_space(c) => break,
                None if c == b'"' || c == b'\'' => {
                    quote = Some(c);
                    quoted = true;
                    i += 1;
                }
                None if c == esc && i + 1 < b.len() => {
                    let ch = s[i + 1..].chars().next().unwrap_or(' ');
                    text.push(ch);
                    i += 1 + ch.len_utf8();
                }
                None => {
                    let stop = |c: u8| is_space(c) || c == b'"' || c == b'\'' || c == esc;
                    let end = run_end(b, i + 1, stop);
                    text.push_str(&s[i..end]);
                    i = end;
                }
            }
        }
        out.push((text, start..i.min(b.len()), quoted));
    }
    out
}

/// A JSON array of strings (the exec form), with each element's logical range.
fn json_array(s: &str, from: usize) -> Option<Vec<(String, Range<usize>)>> {
    let b = s.as_bytes();
    let mut i = from;
    let skip = |i: &mut usize| {
        while *i < b.len() && (is_space(b[*i]) || b[*i] == b'\n') {
            *i += 1;
        }
    };
    skip(&mut i);
    if b.get(i) != Some(&b'[') {
        return None;
    }
    i += 1;
    let mut out = Vec::new();
    skip(&mut i);
    if b.get(i) == Some(&b']') {
        i += 1;
        skip(&mut i);
        return (i == b.len()).then_some(out);
    }
    loop {
        skip(&mut i);
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let start = i;
        i += 1;
        while i < b.len() && b[i] != b'"' {
            i += if b[i] == b'\\' { 2 } else { 1 };
        }
        if i >= b.len() {
            return None;
        }
        i += 1;
        let value: String = serde_json::from_str(&s[start..i]).ok()?;
        out.push((value, start..i));
        skip(&mut i);
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b']') => {
                i += 1;
                skip(&mut i);
                return (i == b.len()).then_some(out);
            }
            _ => return None,
        }
    }
}

/// Parse one instruction from its logical text, starting at logical offset `at`.
fn parse_instruction(logical: Logical, at: usize, escape: char) -> Instruction {
    let s = logical.text.as_str();
    let b = s.as_bytes();
    let mut i = at;
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    let kw_start = i;
    while i < b.len() && !is_space(b[i]) {
        i += 1;
    }
    let keyword = s[kw_start..i].to_ascii_uppercase();
    let keyword_range = logical.src_range(kw_start..i);
    let multiline = logical.src(b.len().saturating_sub(1)) > logical.src(0) + b.len();

    // ONBUILD wraps another instruction: parse it from the same logical text.
    if keyword == "ONBUILD" {
        let inner = parse_instruction(logical.clone(), i, escape);
        let range = keyword_range.start..logical.src_end(b.len());
        return Instruction {
            keyword,
            keyword_range,
            range,
            flags: Vec::new(),
            args_range: inner.keyword_range.start..inner.range.end,
            args_text: s[i..].trim().to_string(),
            args: Vec::new(),
            json: None,
            pairs: Vec::new(),
            heredocs: Vec::new(),
            stage: None,
            onbuild: Some(Box::new(inner)),
            hadolint_ignore: Vec::new(),
            args_logical_start: i,
            logical,
            multiline,
        };
    }

    let all = words(s, i, escape);
    let mut flags = Vec::new();
    let mut rest_start = b.len();
    let mut first_arg = all.len();
    for (n, (text, r, _)) in all.iter().enumerate() {
        let raw = &s[r.clone()];
        if raw.starts_with("--") && raw.len() > 2 {
            let body_start = r.start + 2;
            let (name_end, value) = match raw.find('=') {
                Some(eq) => (r.start + eq, Some((r.start + eq + 1)..r.end)),
                None => (r.end, None),
            };
            let value_text = value.as_ref().map(|_| match text.find('=') {
                Some(eq) => text[eq + 1..].to_string(),
                None => String::new(),
            });
            flags.push(Flag {
                name: s[body_start..name_end].to_string(),
                name_range: logical.src_range(body_start..name_end),
                value: value_text,
                value_range: value.map(|v| logical.src_range(v)),
                range: logical.src_range(r.clone()),
            });
        } else {
            first_arg = n;
            rest_start = r.start;
            break;
        }
    }
    let rest_end = s.trim_end().len().max(rest_start);
    let args_range = logical.src_range(rest_start..rest_end);
    let args_text = s[rest_start..rest_end].to_string();
    let json = match keyword.as_str() {
        "CMD" | "ENTRYPOINT" | "RUN" | "SHELL" | "COPY" | "ADD" | "VOLUME" => {
            json_array(&s[..rest_end], rest_start).map(|v| {
                v.into_iter()
                    .map(|(t, r)| Word { text: t, range: logical.src_range(r), quoted: true })
                    .collect()
            })
        }
        _ => None,
    };
    let pairs = match keyword.as_str() {
        "ENV" | "LABEL" => kv_pairs(&logical, &all[first_arg.min(all.len())..], rest_end),
        "ARG" => all[first_arg.min(all.len())..]
            .iter()
            .map(|(t, r, _)| {
                let raw = &s[r.clone()];
                match raw.find('=') {
                    Some(eq) => Pair {
                        key: raw[..eq].to_string(),
                        key_range: logical.src_range(r.start..r.start + eq),
                        value: Some(t.split_once('=').map_or("", |x| x.1).to_string()),
                        value_range: Some(logical.src_range(r.start + eq + 1..r.end)),
                        legacy: false,
                    },
                    None => Pair {
                        key: t.clone(),
                        key_range: logical.src_range(r.clone()),
                        value: None,
                        value_range: None,
                        legacy: false,
                    },
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    // Last use of `all`: move the words' texts instead of cloning them.
    let args: Vec<Word> = all
        .into_iter()
        .skip(first_arg)
        .map(|(text, r, quoted)| Word { text, range: logical.src_range(r), quoted })
        .collect();
    Instruction {
        keyword,
        keyword_range: keyword_range.clone(),
        range: keyword_range.start..logical.src_end(rest_end.max(kw_start)),
        flags,
        args,
        args_range,
        args_text,
        json,
        pairs,
        heredocs: Vec::new(),
        stage: None,
        onbuild: None,
        hadolint_ignore: Vec::new(),
        args_logical_start: rest_start,
        logical,
        multiline,
    }
}

/// ENV/LABEL pairs: `K=V …`, or the legacy `K V…` (one pair, the value is the rest).
fn kv_pairs(logical: &Logical, ws: &[(String, Range<usize>, bool)], end: usize) -> Vec<Pair> {
    let s = logical.text.as_str();
    let Some((_, first, _)) = ws.first() else { return Vec::new() };
    let first_raw = &s[first.clone()];
    if !first_raw.contains('=') {
        let value_start = ws.get(1).map_or(end, |w| w.1.start);
        let value = ws[1..].iter().map(|w| w.0.as_str()).collect::<Vec<_>>().join(" ");
        return vec![Pair {
            key: ws[0].0.clone(),
            key_range: logical.src_range(first.clone()),
            value: Some(value),
            value_range: Some(logical.src_range(value_start..end.max(value_start))),
            legacy: true,
        }];
    }
    ws.iter()
        .map(|(t, r, _)| {
            let raw = &s[r.clone()];
            let eq = raw.find('=').unwrap_or(raw.len());
            let key: String = {
                let k = &raw[..eq];
                k.trim_matches(['"', '\'']).to_string()
            };
            Pair {
                key,
                key_range: logical.src_range(r.start..r.start + eq),
                value: Some(t.split_once('=').map_or("", |x| x.1).to_string()),
                value_range: Some(logical.src_range((r.start + eq + 1).min(r.end)..r.end)),
                legacy: false,
            }
        })
        .collect()
}

/// Record `$X`, `${X}` and `${X<modifier>…}` references of an instruction's arguments.
fn collect_refs(inst: &Instruction, idx: usize, escape: char, out: &mut Vec<VarRef>) {
    if let Some(inner) = &inst.onbuild {
        // ONBUILD instructions run in a child build: their variables are not ours.
        let _ = inner;
        return;
    }
    let expanded = EXPANDED.contains(&inst.keyword.as_str());
    let in_from = inst.keyword == "FROM";
    let s = inst.logical.text.as_str();
    let b = s.as_bytes();
    let esc = escape as u8;
    // Flags hold references too (`--platform=$BUILDPLATFORM`, `--chown=$UID`).
    let start =
        (inst.keyword_range.end - inst.keyword_range.start) + (s.len() - s.trim_start().len());
    let mut i = start;
    let mut single = false;
    let heredoc_markers: Vec<Range<usize>> =
        lexer::heredoc_markers(s).into_iter().map(|m| m.3).collect();
    while i < b.len() {
        let c = b[i];
        if c == b'\'' && !(inst.keyword == "ENV" || expanded) {
            // In shell instructions single quotes prevent expansion.
            single = !single;
            i += 1;
            continue;
        }
        if c == b'\'' && expanded {
            single = !single;
            i += 1;
            continue;
        }
        if c == esc && i + 1 < b.len() {
            i += 2;
            continue;
        }
        if c != b'$' || single || heredoc_markers.iter().any(|m| m.contains(&i)) {
            i += 1;
            continue;
        }
        let dollar = i;
        i += 1;
        if b.get(i) == Some(&b'{') {
            let name_start = i + 1;
            let mut j = name_start;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            let name_end = j;
            let mut depth = 1;
            while j < b.len() && depth > 0 {
                match b[j] {
                    b'{' => depth += 1,
                    b'}' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            if name_end > name_start && depth == 0 && !b[name_start].is_ascii_digit() {
                let has_modifier = matches!(b.get(name_end), Some(b':' | b'-' | b'+' | b'?'));
                out.push(VarRef {
                    name: s[name_start..name_end].to_string(),
                    range: inst.logical.src_range(dollar..j),
                    name_range: inst.logical.src_range(name_start..name_end),
                    has_modifier,
                    instruction: idx,
                    expanded,
                    in_from,
                });
            }
            i = j.max(dollar + 1);
        } else if b.get(i).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') {
            let name_start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(VarRef {
                name: s[name_start..i].to_string(),
                range: inst.logical.src_range(dollar..i),
                name_range: inst.logical.src_range(name_start..i),
                has_modifier: false,
                instruction: idx,
                expanded,
                in_from,
            });
        }
    }
}

/// Index of names for quick lookups in rules.
pub fn stage_names(m: &Model) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for s in &m.stages {
        if let Some(n) = s.lower_name() {
            out.entry(n).or_insert(s.index);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{Expect, expect};

    fn check(text: &str, expect: Expect) {
        let m = Model::build(text);
        let mut out = String::new();
        for d in &m.directives {
            out.push_str(&format!("directive {}={}\n", d.name, d.value));
        }
        for (n, i) in m.instructions.iter().enumerate() {
            out.push_str(&format!("{n} {} stage={:?}", i.keyword, i.stage));
            for f in &i.flags {
                out.push_str(&format!(" --{}={:?}", f.name, f.value));
            }
            for a in &i.args {
                out.push_str(&format!(" [{}]", a.text));
            }
            for p in &i.pairs {
                out.push_str(&format!(
                    " {}={:?}{}",
                    p.key,
                    p.value,
                    if p.legacy { "!" } else { "" }
                ));
            }
            if let Some(j) = &i.json {
                out.push_str(&format!(" json={:?}", j.iter().map(|w| &w.text).collect::<Vec<_>>()));
            }
            for h in &i.heredocs {
                out.push_str(&format!(" heredoc {}={:?}", h.name, &text[h.body.clone()]));
            }
            out.push('\n');
        }
        for s in &m.stages {
            let im = s.image.as_ref().unwrap();
            out.push_str(&format!(
                "stage {} {:?} image={} tag={:?} base={:?}\n",
                s.index, s.name, im.name, im.tag, s.base_stage
            ));
        }
        for r in &m.refs {
            let d = m.decl_of_ref(r);
            out.push_str(&format!(
                "ref {} at {:?} -> {:?}\n",
                r.name,
                &text[r.range.clone()],
                d.map(|d| (d.kind, d.value))
            ));
        }
        expect.assert_eq(&out);
    }

    /// `resolve_var` is a fast path for looking a name up in `vars_in_scope`: at every offset,
    /// for every name, both must agree (ENV/ARG shadowing, stage inheritance, FROM lines).
    #[test]
    fn resolve_var_agrees_with_vars_in_scope() {
        let text = "ARG V=1\nARG TARGETOS\nFROM a AS base\nENV E=1 V=2\nARG V\nARG A=3\n\
                    FROM base AS mid\nARG E\nENV E=4\nFROM mid\nARG V A\nENV A=5\nRUN $E $V $A\n\
                    FROM $V\nARG BUILDPLATFORM\n";
        let m = Model::build(text);
        for offset in 0..=text.len() {
            for name in ["V", "E", "A", "TARGETOS", "BUILDPLATFORM", "NOPE"] {
                let slow = m.vars_in_scope(offset).into_iter().find(|d| d.name == name);
                let fast = m.resolve_var(offset, name);
                assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{name} at {offset}");
            }
        }
    }

    #[test]
    fn stages_and_scoping() {
        check(
            r#"# syntax=docker/dockerfile:1
# check=skip=StageNameCasing;error=true
ARG PY=3.12
FROM --platform=$BUILDPLATFORM python:${PY}-slim AS base
ENV APP=/app
ENV LANG C.UTF-8
ARG PY
RUN echo $PY $APP
FROM base AS prod
COPY --chown=app:app . $APP
WORKDIR ${PY:-x}
CMD ["gunicorn", "app.wsgi"]
"#,
            expect![[r#"
                directive syntax=docker/dockerfile:1
                directive check=skip=StageNameCasing;error=true
                0 ARG stage=None [PY=3.12] PY=Some("3.12")
                1 FROM stage=Some(0) --platform=Some("$BUILDPLATFORM") [python:${PY}-slim] [AS] [base]
                2 ENV stage=Some(0) [APP=/app] APP=Some("/app")
                3 ENV stage=Some(0) [LANG] [C.UTF-8] LANG=Some("C.UTF-8")!
                4 ARG stage=Some(0) [PY] PY=None
                5 RUN stage=Some(0) [echo] [$PY] [$APP]
                6 FROM stage=Some(1) [base] [AS] [prod]
                7 COPY stage=Some(1) --chown=Some("app:app") [.] [$APP]
                8 WORKDIR stage=Some(1) [${PY:-x}]
                9 CMD stage=Some(1) [[gunicorn,] [app.wsgi]] json=["gunicorn", "app.wsgi"]
                stage 0 Some("base") image=python tag=Some("${PY}-slim") base=None
                stage 1 Some("prod") image=base tag=None base=Some(0)
                ref BUILDPLATFORM at "$BUILDPLATFORM" -> Some((Predefined, None))
                ref PY at "${PY}" -> Some((Arg, Some("3.12")))
                ref PY at "$PY" -> Some((Arg, Some("3.12")))
                ref APP at "$APP" -> Some((Env, Some("/app")))
                ref APP at "$APP" -> Some((Env, Some("/app")))
                ref PY at "${PY:-x}" -> None
            "#]],
        );
    }

    #[test]
    fn legacy_env_heredoc_onbuild() {
        check(
            "FROM alpine\nENV A b c\nRUN <<EOF\nset -e\necho $A\nEOF\nONBUILD COPY . /src\nLABEL 'x'=\"y z\"\n",
            expect![[r#"
                0 FROM stage=Some(0) [alpine]
                1 ENV stage=Some(0) [A] [b] [c] A=Some("b c")!
                2 RUN stage=Some(0) [<<EOF] heredoc EOF="set -e\necho $A"
                3 ONBUILD stage=Some(0)
                4 LABEL stage=Some(0) [x=y z] x=Some("y z")
                stage 0 None image=alpine tag=None base=None
            "#]],
        );
    }

    #[test]
    fn env_of_stage_inherits_through_from_stage() {
        let m = Model::build(
            "FROM python AS a\nENV X=1 Y=2\nFROM a AS b\nENV Y=3\nARG Z=1\nFROM b\nENV W=4\n",
        );
        let env: Vec<_> = m
            .env_of_stage(2)
            .into_iter()
            .map(|d| format!("{}={}", d.name, d.value.unwrap_or_default()))
            .collect();
        assert_eq!(env, ["X=1", "Y=3", "W=4"]);
        assert_eq!(m.runtime_stage(Some("A")).map(|s| s.index), Some(0));
        assert_eq!(m.args_declared().len(), 1);
    }
}
