//! Two services claiming the same host port or container name.

use std::path::Path;
use std::sync::Arc;

use super::Ctx;
use crate::compose::model::Port;
use crate::diagnostics::{Diagnostic, RuleInfo, Severity};

pub const PORT_CONFLICT: RuleInfo = RuleInfo {
    code: "port-conflict",
    scope: "compose",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fixable: false,
    summary: "Two services publish the same host port.",
    docs: "A host port (for one address and protocol) can be bound by one container at a time. When \
two services publish it, the second fails to start with \"port is already allocated\".\n\n\
```yaml\nservices:\n  web:\n    ports: [\"8000:8000\"]\n  docs:\n    ports: [\"8000:80\"]   # port-conflict\n```\n\n\
Publish one of them on another host port (`8001:80`). Services in profiles that are never \
active together are not reported.",
};

pub const DUPLICATE_CONTAINER_NAME: RuleInfo = RuleInfo {
    code: "duplicate-container-name",
    scope: "compose",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fixable: false,
    summary: "Two services set the same `container_name`.",
    docs: "Container names are unique per Docker host: when two services ask for the same \
`container_name`, the second container cannot be created.\n\n```yaml\nservices:\n  web:\n    container_name: app\n  worker:\n    container_name: app   # duplicate-container-name\n```\n\n\
Give each a distinct name, or drop `container_name` and let Compose name them.",
};

fn all_interfaces(ip: &Option<String>) -> bool {
    matches!(ip.as_deref(), None | Some("") | Some("0.0.0.0") | Some("::"))
}

fn clash(a: &Port, b: &Port) -> bool {
    let (Some(pa), Some(pb)) = (a.published, b.published) else { return false };
    if a.interpolated || b.interpolated || a.protocol != b.protocol {
        return false;
    }
    let same_ip =
        all_interfaces(&a.host_ip) || all_interfaces(&b.host_ip) || a.host_ip == b.host_ip;
    same_ip && pa.start <= pb.end && pb.start <= pa.end
}

/// Published port ranges wider than this are not expanded into the index; they are checked
/// against every query instead (rare: `8000-9000:8000-9000`).
const MAX_INDEXED_SPAN: u32 = 256;

fn wide(r: &std::ops::RangeInclusive<u16>) -> bool {
    r.end() < r.start() || u32::from(r.end() - r.start()) >= MAX_INDEXED_SPAN
}

/// Every published port of the project by host port number, so each port is compared with the
/// few that could clash instead of with every other service's ports. A hash table chained
/// through one array (no allocation per port on every keystroke, no sort).
struct PortIndex<'a> {
    /// (number, protocol, service, port) for each number of each narrow published range.
    entries: Vec<(u16, &'a str, usize, usize)>,
    /// Per bucket (a number's low bits), the last entry in it; [`NONE`] when empty.
    heads: Vec<u32>,
    /// Per entry, the previous entry in its bucket.
    next: Vec<u32>,
    wide: Vec<(usize, usize)>,
}

const NONE: u32 = u32::MAX;

impl<'a> PortIndex<'a> {
    fn new(ctx: &'a Ctx) -> PortIndex<'a> {
        let mut entries = Vec::new();
        let mut wide_ports = Vec::new();
        for (j, s) in ctx.services.iter().enumerate() {
            for (k, (_, port)) in s.ports.iter().enumerate() {
                let Some(r) = port.published else { continue };
                if port.interpolated {
                    continue; // never clashes
                }
                if wide(&(r.start..=r.end)) {
                    wide_ports.push((j, k));
                    continue;
                }
                let protocol = port.protocol.as_str();
                entries.extend((r.start..=r.end).map(|n| (n, protocol, j, k)));
            }
        }
        // Published ports are mostly consecutive numbers: their low bits spread them well.
        let buckets = (entries.len() * 2).next_power_of_two().max(16);
        let mut heads = vec![NONE; buckets];
        let mut next = Vec::with_capacity(entries.len());
        for (e, &(n, ..)) in entries.iter().enumerate() {
            let b = usize::from(n) & (buckets - 1);
            next.push(heads[b]);
            heads[b] = e as u32;
        }
        PortIndex { entries, heads, next, wide: wide_ports }
    }

    /// Calls `f` with the position of every port that may overlap `port` (a superset), in no
    /// particular order; `all` lists every port of the project.
    fn candidates(
        &self,
        port: &Port,
        all: impl Fn(&mut dyn FnMut((usize, usize))),
        f: &mut dyn FnMut((usize, usize)),
    ) {
        let Some(r) = port.published else { return };
        if wide(&(r.start..=r.end)) {
            return all(f);
        }
        self.wide.iter().for_each(|&c| f(c));
        for n in r.start..=r.end {
            let mut e = self.heads[usize::from(n) & (self.heads.len() - 1)];
            while e != NONE {
                let (m, protocol, j, k) = self.entries[e as usize];
                if m == n && protocol == port.protocol {
                    f((j, k));
                }
                e = self.next[e as usize];
            }
        }
    }
}

/// The same file: the paths are usually the very same `Arc`.
fn same(a: &Arc<Path>, b: &Arc<Path>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // Services whose profiles never overlap never run together.
    let together = |i: usize, j: usize| {
        let (a, b) = (&ctx.services[i].profiles, &ctx.services[j].profiles);
        a.is_empty()
            || b.is_empty()
            || a.iter().any(|(_, p)| b.iter().any(|(_, q)| q.text == p.text))
    };
    let n = ctx.services.len();
    let index = PortIndex::new(ctx);
    let all = |f: &mut dyn FnMut((usize, usize))| {
        for j in 0..n {
            (0..ctx.services[j].ports.len()).for_each(|k| f((j, k)));
        }
    };
    let here = ctx.path();
    for i in 0..n {
        for (path, port) in &ctx.services[i].ports {
            if port.published.is_none() || !same(path, here) {
                continue;
            }
            // The first other service (in project order) with a clashing port, and its first
            // such port.
            let mut found: Option<(usize, usize)> = None;
            index.candidates(port, all, &mut |(j, k)| {
                if found.is_none_or(|f| (j, k) < f)
                    && j != i
                    && clash(port, &ctx.services[j].ports[k].1)
                    && together(i, j)
                {
                    found = Some((j, k));
                }
            });
            if let Some((j, k)) = found {
                let other = &ctx.services[j];
                let (opath, oport) = &other.ports[k];
                let p = port.published.map(|r| r.start).unwrap_or(0);
                out.push(
                    Diagnostic::new(
                        ctx.path(),
                        port.range.clone(),
                        Severity::Error,
                        PORT_CONFLICT.code,
                        format!(
                            "Host port {p}/{} is also published by service `{}`",
                            port.protocol, other.name
                        ),
                    )
                    .with_related(
                        opath,
                        oport.range.clone(),
                        format!("published by `{}`", other.name),
                    ),
                );
            }
        }
    }
    // The first two services (in project order) with each container name: enough to find,
    // for any of them, the first other one.
    let mut by_name: crate::util::FastMap<&str, (usize, Option<usize>)> = Default::default();
    for (j, s) in ctx.services.iter().enumerate() {
        if let Some((_, name)) = &s.container_name {
            by_name
                .entry(name.text.as_str())
                .and_modify(|e| {
                    e.1.get_or_insert(j);
                })
                .or_insert((j, None));
        }
    }
    for i in 0..n {
        let Some((path, name)) = &ctx.services[i].container_name else { continue };
        if name.text.contains('$') || !same(path, here) {
            continue;
        }
        let other =
            by_name.get(name.text.as_str()).and_then(|&(a, b)| if a != i { Some(a) } else { b });
        if let Some(j) = other {
            let (opath, oname) = ctx.services[j].container_name.as_ref().unwrap();
            out.push(
                Diagnostic::new(
                    ctx.path(),
                    name.range.clone(),
                    Severity::Error,
                    DUPLICATE_CONTAINER_NAME.code,
                    format!(
                        "Container name `{}` is also used by service `{}`",
                        name.text, ctx.services[j].name
                    ),
                )
                .with_related(
                    opath,
                    oname.range.clone(),
                    format!("used by `{}`", ctx.services[j].name),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::compose::{model, project};

    /// Each conflict: where the port and the other service's port start.
    type Conflicts = Vec<(usize, usize)>;

    /// Port conflicts found through the index, and by comparing every pair.
    fn both(text: &str) -> (Conflicts, Conflicts) {
        let f = crate::testing::fixture(text);
        let (snap, doc) = (&f.snapshot, f.snapshot.get(&f.files[0]).unwrap());
        let project = project::project_of(snap, &doc.path);
        let services = project::merged_services_shared(snap, &project);
        let ctx = Ctx { snap, doc, model: model::model(doc), project, services };
        let mut out = Vec::new();
        check(&ctx, &mut out);
        let indexed = out
            .iter()
            .filter(|d| d.code == PORT_CONFLICT.code)
            .map(|d| (d.range.start, d.related[0].location.range.start))
            .collect();
        let s = &ctx.services;
        let together = |i: usize, j: usize| {
            let names =
                |x: usize| s[x].profiles.iter().map(|(_, p)| p.text.clone()).collect::<Vec<_>>();
            let (a, b) = (names(i), names(j));
            a.is_empty() || b.is_empty() || a.iter().any(|p| b.contains(p))
        };
        let mut pairwise = Vec::new();
        for i in 0..s.len() {
            for (_, port) in s[i].ports.iter().filter(|(_, p)| p.published.is_some()) {
                let other = (0..s.len())
                    .flat_map(|j| (0..s[j].ports.len()).map(move |k| (j, k)))
                    .find(|&(j, k)| j != i && clash(port, &s[j].ports[k].1) && together(i, j));
                if let Some((j, k)) = other {
                    pairwise.push((port.range.start, s[j].ports[k].1.range.start));
                }
            }
        }
        (indexed, pairwise)
    }

    fn port() -> impl Strategy<Value = String> {
        let ip = prop::sample::select(vec!["", "127.0.0.1:", "0.0.0.0:", "10.0.0.1:"]);
        let number = prop::sample::select(vec!["8000", "8001", "8000-8002", "7000-9000", "${P}"]);
        let proto = prop::sample::select(vec!["", "/udp"]);
        (ip, number, proto).prop_map(|(i, n, p)| format!("\"{i}{n}:80{p}\""))
    }

    proptest! {
        /// The index finds what comparing every pair of ports finds.
        #[test]
        fn the_port_index_agrees_with_every_pair(
            services in prop::collection::vec((
                prop::collection::vec(port(), 0..3),
                prop::collection::vec(prop::sample::select(vec!["a", "b"]), 0..2),
            ), 1..6),
        ) {
            let mut text = String::from("#- /compose.yaml\nservices:\n");
            for (n, (ports, profiles)) in services.iter().enumerate() {
                text.push_str(&format!(
                    "  s{n}:\n    image: x\n    ports: [{}]\n    profiles: [{}]\n",
                    ports.join(", "),
                    profiles.join(", ")
                ));
            }
            let (indexed, pairwise) = both(&text);
            prop_assert_eq!(indexed, pairwise, "{}", text);
        }
    }
}
