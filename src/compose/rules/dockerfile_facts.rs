//! The two facts compose rules need from a Dockerfile: its stage names and its `ARG`s. A small
//! walk of the tree-sitter tree, standing in until the Dockerfile model can be asked instead.

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
    let mut facts = DockerfileFacts::default();
    let Some(tree) = &doc.tree else { return facts };
    let text = &doc.text;
    let root = tree.root_node();
    let mut cursor = root.walk();
    for node in root.named_children(&mut cursor) {
        match node.kind() {
            "from_instruction" => {
                facts.from_ends.push(node.end_byte());
                if let Some(alias) = node.child_by_field_name("as") {
                    let name = text.get(alias.byte_range()).unwrap_or("").to_string();
                    facts.stages.push((name, node.byte_range()));
                }
            }
            "arg_instruction" => {
                let mut c = node.walk();
                for pair in node.named_children(&mut c) {
                    if let Some(name) = pair.child_by_field_name("name") {
                        facts.args.push(text.get(name.byte_range()).unwrap_or("").to_string());
                    }
                }
            }
            _ => {}
        }
    }
    facts
}
