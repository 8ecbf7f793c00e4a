//! Architecture tidiness: only `src/lsp/` may speak LSP. Analysis works in byte offsets and
//! plain types so that the CLI and the editor share it and it can be tested without a server.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_the_lsp_layer_imports_lsp_types() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let lsp_dir = src.join("lsp");
    let mut offenders = Vec::new();
    for f in files.iter().filter(|f| !f.starts_with(&lsp_dir)) {
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if code.contains("tower_lsp_server")
                || code.contains("ls_types")
                || code.contains("crate::lsp::")
            {
                offenders.push(format!(
                    "{}:{}: {}",
                    f.strip_prefix(&src).unwrap().display(),
                    i + 1,
                    line.trim()
                ));
            }
        }
    }
    // The command line starts the server, and the fuzzing harness drives the real protocol
    // edge: those are the only callers of `src/lsp/` from outside it.
    offenders
        .retain(|o| !o.contains("crate::lsp::server::run_stdio") && !o.starts_with("fuzzing.rs:"));
    assert!(offenders.is_empty(), "LSP types outside src/lsp/:\n{}", offenders.join("\n"));
}
