//! Image references (`[registry[:port]/]path[:tag][@digest]`): validity and Docker Hub links.

/// Is `s` a well-formed image reference? Follows the reference grammar of the distribution
/// project: lowercase path components separated by `.`, `_`, `__` or `-`; an optional
/// registry host (with a dot, a port or `localhost`); a tag of up to 128 word characters; a
/// digest `algo:hex`.
pub fn is_valid_reference(s: &str) -> bool {
    if s.is_empty() || s.len() > 255 {
        return false;
    }
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (s, None),
    };
    if let Some(d) = digest {
        let Some((algo, hex)) = d.split_once(':') else { return false };
        if algo.is_empty() || hex.len() < 32 || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return false;
        }
    }
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[slash..].find(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(t) = tag {
        let ok = !t.is_empty()
            && t.len() <= 128
            && t.bytes().next().is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
            && t.bytes().all(|c| c.is_ascii_alphanumeric() || b"_.-".contains(&c));
        if !ok {
            return false;
        }
    }
    let mut parts: Vec<&str> = name.split('/').collect();
    if parts.len() > 1 && is_registry(parts[0]) {
        parts.remove(0);
    }
    !parts.is_empty() && parts.iter().all(|p| is_path_component(p))
}

fn is_registry(host: &str) -> bool {
    host.contains(['.', ':']) || host == "localhost" || host.chars().any(|c| c.is_ascii_uppercase())
}

fn is_path_component(p: &str) -> bool {
    let b = p.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    let mut sep = 0;
    for &c in b {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            sep = 0;
        } else if c == b'.' || c == b'_' || c == b'-' {
            sep += 1;
            if sep > 2 {
                return false;
            }
        } else {
            return false;
        }
    }
    true
}

/// The Docker Hub page of an image (None for other registries and variables).
pub fn hub_url(name: &str) -> Option<String> {
    if name.contains('$') || name.is_empty() || name.eq_ignore_ascii_case("scratch") {
        return None;
    }
    let name = name.strip_prefix("docker.io/").unwrap_or(name);
    let parts: Vec<&str> = name.split('/').collect();
    if parts.len() > 1 && is_registry(parts[0]) {
        return None;
    }
    match parts.as_slice() {
        ["library", n] | [n] => Some(format!("https://hub.docker.com/_/{n}")),
        [user, n] => Some(format!("https://hub.docker.com/r/{user}/{n}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        for ok in [
            "python",
            "python:3.12-slim",
            "ghcr.io/a/b:1",
            "localhost:5000/x",
            "a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(is_valid_reference(ok), "{ok}");
        }
        for bad in ["", "python:", "Python", "a//b", ":x", "py thon", "-x"] {
            assert!(!is_valid_reference(bad), "{bad}");
        }
        assert_eq!(hub_url("python").as_deref(), Some("https://hub.docker.com/_/python"));
        assert_eq!(
            hub_url("bitnami/redis").as_deref(),
            Some("https://hub.docker.com/r/bitnami/redis")
        );
        assert_eq!(hub_url("ghcr.io/a/b"), None);
    }
}
