//! Two services claiming the same host port or container name.

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
    for i in 0..n {
        for (path, port) in &ctx.services[i].ports {
            if *path != *ctx.path() || port.published.is_none() {
                continue;
            }
            for j in (0..n).filter(|&j| j != i && together(i, j)) {
                let other = &ctx.services[j];
                if let Some((opath, oport)) = other.ports.iter().find(|(_, o)| clash(port, o)) {
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
                    break;
                }
            }
        }
    }
    for i in 0..n {
        let Some((path, name)) = &ctx.services[i].container_name else { continue };
        if *path != *ctx.path() || name.text.contains('$') {
            continue;
        }
        let other = (0..n).filter(|&j| j != i).find(|&j| {
            ctx.services[j].container_name.as_ref().is_some_and(|(_, o)| o.text == name.text)
        });
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
