//! Two services claiming the same host port or container name.

use std::collections::HashMap;

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

/// Every published port of the project by (protocol, host port number), so each port is
/// compared with the few that could clash instead of with every other service's ports.
struct PortIndex<'a> {
    /// (service, port) positions in ascending order, per (protocol, number).
    by_number: HashMap<(&'a str, u16), Vec<(usize, usize)>>,
    wide: Vec<(usize, usize)>,
}

impl<'a> PortIndex<'a> {
    fn new(ctx: &'a Ctx) -> PortIndex<'a> {
        let mut ix = PortIndex { by_number: HashMap::new(), wide: Vec::new() };
        for (j, s) in ctx.services.iter().enumerate() {
            for (k, (_, port)) in s.ports.iter().enumerate() {
                let Some(r) = port.published else { continue };
                if port.interpolated {
                    continue; // never clashes
                }
                if r.end < r.start || u32::from(r.end - r.start) >= MAX_INDEXED_SPAN {
                    ix.wide.push((j, k));
                    continue;
                }
                for n in r.start..=r.end {
                    ix.by_number.entry((port.protocol.as_str(), n)).or_default().push((j, k));
                }
            }
        }
        ix
    }

    /// Positions of ports that may overlap `port`, in no particular order (a superset).
    fn candidates(
        &self,
        port: &Port,
        all: &dyn Fn() -> Vec<(usize, usize)>,
    ) -> Vec<(usize, usize)> {
        let Some(r) = port.published else { return Vec::new() };
        if r.end < r.start || u32::from(r.end - r.start) >= MAX_INDEXED_SPAN {
            return all();
        }
        let mut out = self.wide.clone();
        for n in r.start..=r.end {
            if let Some(v) = self.by_number.get(&(port.protocol.as_str(), n)) {
                out.extend_from_slice(v);
            }
        }
        out
    }
}

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let profiles = |i: usize| -> Vec<&str> {
        ctx.services[i].profiles.iter().map(|(_, p)| p.text.as_str()).collect()
    };
    // Services whose profiles never overlap never run together.
    let together = |i: usize, j: usize| {
        let (a, b) = (profiles(i), profiles(j));
        a.is_empty() || b.is_empty() || a.iter().any(|p| b.contains(p))
    };
    let n = ctx.services.len();
    let index = PortIndex::new(ctx);
    let all = || -> Vec<(usize, usize)> {
        (0..n).flat_map(|j| (0..ctx.services[j].ports.len()).map(move |k| (j, k))).collect()
    };
    for i in 0..n {
        for (path, port) in &ctx.services[i].ports {
            if *path != *ctx.path() || port.published.is_none() {
                continue;
            }
            // The first other service (in project order) with a clashing port, and its first
            // such port.
            let found = index
                .candidates(port, &all)
                .into_iter()
                .filter(|&(j, k)| j != i && clash(port, &ctx.services[j].ports[k].1))
                .filter(|&(j, _)| together(i, j))
                .min();
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
    // Services by container name, in project order.
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, s) in ctx.services.iter().enumerate() {
        if let Some((_, name)) = &s.container_name {
            by_name.entry(name.text.as_str()).or_default().push(j);
        }
    }
    for i in 0..n {
        let Some((path, name)) = &ctx.services[i].container_name else { continue };
        if *path != *ctx.path() || name.text.contains('$') {
            continue;
        }
        let other = by_name.get(name.text.as_str()).and_then(|v| v.iter().find(|&&j| j != i));
        if let Some(&j) = other {
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
