//! `depends_on` chains that loop back on themselves.

use std::collections::HashMap;

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
    let index: HashMap<&str, usize> =
        ctx.services.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
    let edges: Vec<Vec<usize>> = ctx
        .services
        .iter()
        .map(|s| {
            s.depends_on
                .iter()
                .filter_map(|(_, d)| index.get(d.service.text.as_str()).copied())
                .collect()
        })
        .collect();
    // Iterative DFS with colours; each back edge closes a cycle along the current stack.
    let n = edges.len();
    let mut colour = vec![0u8; n];
    let mut cycles: Vec<Vec<usize>> = Vec::new();
    for root in 0..n {
        if colour[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        colour[root] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if *next < edges[v].len() {
                let w = edges[v][*next];
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
