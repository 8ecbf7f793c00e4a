use std::collections::HashSet;

use expect_test::expect;

use super::*;

/// Every spec reachable from the root, with its path.
fn walk(out: &mut Vec<(String, &'static KeySpec)>, path: String, spec: &'static KeySpec) {
    out.push((path.clone(), spec));
    assert!(path.matches('.').count() < 12, "schema too deep (a cycle?) at {path}");
    walk_ty(out, &path, &spec.ty);
}

fn walk_ty(out: &mut Vec<(String, &'static KeySpec)>, path: &str, ty: &'static Ty) {
    match ty {
        Ty::Object(keys) => {
            for k in *keys {
                walk(out, format!("{path}.{}", k.name), k);
            }
        }
        Ty::List(item) => walk(out, format!("{path}.[]"), item),
        Ty::Map(entry) => walk(out, format!("{path}.*"), entry),
        Ty::OneOf(alts) => alts.iter().for_each(|t| walk_ty(out, path, t)),
        _ => {}
    }
}

fn all() -> Vec<(String, &'static KeySpec)> {
    let mut out = Vec::new();
    walk(&mut out, String::new(), &ROOT);
    out
}

#[test]
fn table_is_consistent() {
    let mut problems = Vec::new();
    for (path, spec) in all() {
        if spec.doc.trim().is_empty() {
            problems.push(format!("{path}: empty description"));
        }
        check_ty(&mut problems, &path, &spec.ty);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn check_ty(problems: &mut Vec<String>, path: &str, ty: &Ty) {
    match ty {
        Ty::Enum(v) | Ty::Suggest(v) => {
            if v.is_empty() {
                problems.push(format!("{path}: enum without values"));
            }
            let mut seen = HashSet::new();
            for e in *v {
                if !seen.insert(e.name) {
                    problems.push(format!("{path}: duplicate value {}", e.name));
                }
                if e.doc.trim().is_empty() {
                    problems.push(format!("{path}: value {} has no description", e.name));
                }
            }
        }
        Ty::Object(keys) => {
            if keys.is_empty() {
                problems.push(format!("{path}: object without keys"));
            }
            let mut seen = HashSet::new();
            for k in *keys {
                if !seen.insert(k.name) {
                    problems.push(format!("{path}: duplicate key {}", k.name));
                }
            }
        }
        Ty::OneOf(alts) => alts.iter().for_each(|t| check_ty(problems, path, t)),
        _ => {}
    }
}

#[test]
fn covers_every_service_key_of_the_specification() {
    let keys: Vec<&str> = children(&["services", "*"]).iter().map(|k| k.name).collect();
    let expected = "annotations attach blkio_config build cap_add cap_drop cgroup cgroup_parent \
        command configs container_name cpu_count cpu_percent cpu_shares cpu_period cpu_quota \
        cpu_rt_runtime cpu_rt_period cpus cpuset credential_spec depends_on deploy develop \
        device_cgroup_rules devices dns dns_opt dns_search domainname entrypoint env_file \
        environment expose extends external_links extra_hosts gpus group_add healthcheck \
        hostname image init ipc isolation labels label_file links logging mac_address \
        mem_limit mem_reservation mem_swappiness memswap_limit models network_mode networks \
        oom_kill_disable oom_score_adj pid pids_limit platform ports post_start pre_stop \
        privileged profiles provider pull_policy read_only restart runtime scale secrets \
        security_opt shm_size stdin_open stop_grace_period stop_signal storage_opt sysctls \
        tmpfs tty ulimits use_api_socket user userns_mode uts volumes volumes_from working_dir";
    let missing: Vec<&str> = expected.split_whitespace().filter(|k| !keys.contains(k)).collect();
    assert!(missing.is_empty(), "missing service keys: {missing:?}");
}

#[test]
fn lookup_follows_paths() {
    let show = |path: &[&str]| match lookup(path) {
        Some(s) => format!("{} : {}\n", path.join("."), s.ty.describe()),
        None => format!("{} : -\n", path.join(".")),
    };
    let out: String = [
        &["services", "*", "build", "target"][..],
        &["services", "web", "build"],
        &["services", "*", "ports"],
        &["services", "*", "ports", "[]", "published"],
        &["services", "*", "depends_on", "db", "condition"],
        &["services", "*", "environment"],
        &["services", "*", "ulimits", "nofile", "soft"],
        &["services", "*", "deploy", "resources", "limits", "memory"],
        &["services", "*", "develop", "watch", "[]", "action"],
        &["services", "*", "x-custom", "anything"],
        &["networks", "front", "ipam", "config", "[]", "subnet"],
        &["include", "[]", "path"],
        &["services", "*", "imagee"],
        &["services", "*", "ports", "published"],
    ]
    .iter()
    .map(|p| show(p))
    .collect();
    expect![[r#"
        services.*.build.target : string
        services.web.build : string or mapping
        services.*.ports : list of (port string or integer or mapping)
        services.*.ports.[].published : string or integer
        services.*.depends_on.db.condition : enum
        services.*.environment : map of names to (string or number or boolean) or list of `KEY=VALUE`
        services.*.ulimits.nofile.soft : integer
        services.*.deploy.resources.limits.memory : byte size
        services.*.develop.watch.[].action : enum
        services.*.x-custom.anything : any value
        networks.front.ipam.config.[].subnet : string
        include.[].path : string or list of strings
        services.*.imagee : -
        services.*.ports.published : -
    "#]]
    .assert_eq(&out);
}

#[test]
fn children_of_containers() {
    let names = |p: &[&str]| children(p).iter().map(|k| k.name).collect::<Vec<_>>().join(" ");
    expect!["name version services networks volumes secrets configs include models"]
        .assert_eq(&names(&[]));
    expect!["test interval timeout retries start_period start_interval disable"]
        .assert_eq(&names(&["services", "*", "healthcheck"]));
    expect![[r#""#]].assert_eq(&names(&["services", "*", "ports"]));
}
