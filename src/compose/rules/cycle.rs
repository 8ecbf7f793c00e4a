//! `depends_on` chains that loop back on themselves.

use crate::util::FastMap;

use super::Ctx;
use crate::diagnostics::{Diagnostic, RuleInfo, Severity};

pub const DEPENDS_ON_CYCLE: RuleInfo = RuleInfo {
    code: "depends-on-cycle",
    scope: "compose",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fixable: false,
    summary: "Services that (directly or through others) depend on each other.",
    docs: "Compose starts services in dependency order, so `depends_on` must not loop: when `web` \
waits for `worker` and `worker` waits for `web`, neither can start and Compose rejects the \
project.\n\n```yaml\nservices:\n  web:\n    depends_on: [worker]   # depends-on-cycle: web → worker → web\n  worker:\n    depends_on: [web]\n```\n\n\
Remove one of the dependencies (often the one that only exists for start-up ordering).",
};

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let mut index: FastMap<&str, usize> = FastMap::default();
    index.reserve(ctx.services.len());
    for (i, s) in ctx.services.iter().enumerate() {
        index.insert(s.name.as_str(), i);
    }
    // Edges in one flat list, service `v`'s from `starts[v]` to `starts[v + 1]`: no allocation
    // per service on every keystroke.
    let mut starts = Vec::with_capacity(ctx.services.len() + 1);
    let mut targets = Vec::with_capacity(ctx.services.iter().map(|s| s.depends_on.len()).sum());
    for s in ctx.services.iter() {
        starts.push(targets.len());
        for (_, d) in &s.depends_on {
            if let Some(&w) = index.get(d.service.text.as_str()) {
                targets.push(w);
            }
        }
    }
    starts.push(targets.len());
    let edges = |v: usize| &targets[starts[v]..starts[v + 1]];
    // Iterative DFS with colours; each back edge closes a cycle along the current stack.
    let n = ctx.services.len();
    let mut colour = vec![0u8; n];
    let mut cycles: Vec<Vec<usize>> = Vec::new();
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if colour[root] != 0 {
            continue;
        }
        stack.clear();
        stack.push((root, 0));
        colour[root] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if *next < edges(v).len() {
                let w = edges(v)[*next];
                *next += 1;
                match colour[w] {
                    0 => {
                        colour[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|(x, _)| *x == w).unwrap_or(0);
                        cycles.push(stack[from..].iter().map(|(x, _)| *x).collect());
                    }
                    _ => {}
                }
            } else {
                colour[v] = 2;
                stack.pop();
            }
        }
    }
    for cycle in cycles {
        let names: Vec<&str> = cycle.iter().map(|&i| ctx.services[i].name.as_str()).collect();
        // Report on every edge of the cycle written in this file.
        for (k, &i) in cycle.iter().enumerate() {
            let to = names[(k + 1) % names.len()];
            let Some(svc) = ctx.model.service(&ctx.services[i].name) else { continue };
            let Some(dep) = svc.depends_on.iter().find(|d| d.service.text == to) else { continue };
            let mut path: Vec<&str> = names[k..].to_vec();
            path.extend(&names[..k]);
            path.push(names[k]);
            out.push(Diagnostic::new(
                ctx.path(),
                dep.service.range.clone(),
                Severity::Error,
                DEPENDS_ON_CYCLE.code,
                format!("Dependency cycle: {}", path.join(" → ")),
            ));
        }
    }
}
