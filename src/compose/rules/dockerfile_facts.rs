//! The facts compose rules need from a Dockerfile, read from the Dockerfile model (which
//! handles the escape directive, continuations and heredocs as BuildKit does).

use std::ops::Range;

use crate::workspace::Document;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DockerfileFacts {
    /// `FROM … AS name`: the name and the range of the whole FROM line's instruction.
    pub stages: Vec<(String, Range<usize>)>,
    /// Every declared `ARG` name (global and per stage).
    pub args: Vec<String>,
    /// Where each `FROM` instruction ends (to insert stage-local lines after it).
    pub from_ends: Vec<usize>,
}

pub fn dockerfile_facts(doc: &Document) -> DockerfileFacts {
    let m = crate::dockerfile::model(doc);
    let mut facts = DockerfileFacts::default();
    for s in &m.stages {
        let Some(from) = m.instructions.get(s.from) else { continue };
        facts.from_ends.push(from.range.end);
        if let Some(name) = &s.name {
            facts.stages.push((name.clone(), from.range.clone()));
        }
    }
    for a in m.args_declared() {
        if !facts.args.contains(&a.name) {
            facts.args.push(a.name);
        }
    }
    facts
}
