//! Definition, references, highlights and rename for stages and ARG/ENV variables.

use std::ops::Range;

use super::model::Model;

/// Places that name stage `index` other than its `AS` name: `FROM <stage>`,
/// `COPY --from=<stage>`, `RUN --mount=…,from=<stage>`. The bool is "by index" (`--from=0`).
pub fn stage_refs(m: &Model, index: usize) -> Vec<(Range<usize>, bool)> {
    let mut out = Vec::new();
    for s in &m.stages {
        if s.base_stage == Some(index)
            && let Some(im) = &s.image
        {
            out.push((im.range.clone(), false));
        }
    }
    for i in &m.instructions {
        for f in &i.flags {
            let (Some(v), Some(vr)) = (&f.value, &f.value_range) else { continue };
            if f.name == "from" {
                if m.stage_by_ref(v).map(|s| s.index) == Some(index) {
                    out.push((vr.clone(), v.parse::<usize>().is_ok()));
                }
            } else if f.name == "mount" {
                let mut off = 0;
                for part in v.split(',') {
                    if let Some(from) = part.strip_prefix("from=")
                        && m.stage_by_ref(from).map(|s| s.index) == Some(index)
                        && v.len() == vr.len()
                    {
                        let s = vr.start + off + 5;
                        out.push((s..s + from.len(), from.parse::<usize>().is_ok()));
                    }
                    off += part.len() + 1;
                }
            }
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}
