//! The pages' Content-Security-Policy. Scripts run only from the site itself, and inline only
//! the site's own scripts of the page, each allowed by its SHA-256 hash, computed from the page
//! as rendered. A page is then the same bytes for every visitor, so it can be kept and shared.

use base64::{engine::general_purpose::STANDARD, Engine as _};
use memchr::memmem;
use sha2::{Digest, Sha256};

/// The policy of an HTML page: its own inline scripts by hash (the islands script, the
/// speculation rules), WASM from the site, nothing framed, forms posting only here and to the
/// payment provider's `https` host. `live_reload` lets the development reload socket connect.
pub fn page_policy(html: &str, provider_host: &str, live_reload: bool) -> String {
    let mut hashes = String::new();
    for script in inline_scripts(html) {
        hashes.push_str(" 'sha256-");
        hashes.push_str(&hash(script));
        hashes.push('\'');
    }
    let connect = if live_reload { " ws: wss:" } else { "" };
    format!(
        "default-src 'self'; script-src 'self'{hashes} 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'{connect}; \
         form-action 'self' https://{provider_host}; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
    )
}

/// How many script texts [`hash`] remembers: the site writes a handful (the speculation rules,
/// the islands loader, the hydration data), the same on every page.
const REMEMBERED: usize = 16;

/// The base64 SHA-256 of a script's text. The texts of the site's scripts repeat on every
/// page, so the first few seen are remembered with their hashes; comparing a text is cheaper
/// than hashing it.
fn hash(script: &str) -> std::sync::Arc<str> {
    static SEEN: std::sync::RwLock<Vec<(Box<str>, std::sync::Arc<str>)>> = std::sync::RwLock::new(Vec::new());
    let known = |seen: &[(Box<str>, std::sync::Arc<str>)]| {
        seen.iter()
            .find(|(text, _)| &**text == script)
            .map(|(_, hash)| hash.clone())
    };
    if let Some(hash) = known(&SEEN.read().unwrap_or_else(std::sync::PoisonError::into_inner)) {
        return hash;
    }
    let hash: std::sync::Arc<str> = STANDARD.encode(Sha256::digest(script.as_bytes())).into();
    let mut seen = SEEN.write().unwrap_or_else(std::sync::PoisonError::into_inner);
    if seen.len() < REMEMBERED && known(&seen).is_none() {
        seen.push((script.into(), hash.clone()));
    }
    hash
}

/// The beginnings of the inline scripts the site itself writes: the speculation rules, the
/// islands loader, the hydration data, and the development reload script. Any other inline
/// script (one that slipped into the page some other way) gets no hash, and the browser
/// refuses to run it.
const OWN_SCRIPTS: [&str; 5] = [
    app::SPECULATION_RULES,
    "((root, pkg_path, output_name, wasm_output_name) =>",
    "__RESOLVED_RESOURCES=",
    "__INCOMPLETE_CHUNKS=",
    "(function (reload_port, protocol)",
];

/// The text of every inline script of the page that the site wrote itself (see
/// [`OWN_SCRIPTS`]); data blocks such as JSON-LD are never run and need no hash.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    memmem::find_iter(html.as_bytes(), b"<script").filter_map(move |start| {
        let rest = &html[start..];
        let open_end = rest.find('>')?;
        let tag = &rest[..open_end];
        let body = &rest[open_end + 1..];
        let text = &body[..memmem::find(body.as_bytes(), b"</script>")?];
        let own = OWN_SCRIPTS.iter().any(|prefix| text.starts_with(prefix));
        (!tag.contains(" src=") && own).then_some(text)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_exactly_the_sites_own_inline_scripts() {
        let loader = "((root, pkg_path, output_name, wasm_output_name) => {})(\"\", \"pkg\")";
        let html = format!(
            r#"<head><script type="speculationrules">{}</script><script src="/pkg/x.js"></script>
            <script type="application/ld+json">{{"@type":"NewsArticle"}}</script></head><body>
            <script>alert(1)</script><script type="module">{loader}</script></body>"#,
            app::SPECULATION_RULES
        );
        let policy = page_policy(&html, "www.paypal.com", false);
        let digest = |text: &str| STANDARD.encode(Sha256::digest(text.as_bytes()));
        assert!(policy.contains(&format!(
            "script-src 'self' 'sha256-{}' 'sha256-{}' 'wasm-unsafe-eval';",
            digest(app::SPECULATION_RULES),
            digest(loader)
        )));
        assert!(
            !policy.contains(&digest("alert(1)")),
            "a script the site did not write is not allowed"
        );
        assert!(!policy.contains("unsafe-inline") && !policy.contains("nonce"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("form-action 'self' https://www.paypal.com;"));
        assert!(!policy.contains("ws:"));
        assert!(page_policy("", "h", true).contains("connect-src 'self' ws: wss:"));
    }

    #[test]
    fn a_page_without_inline_scripts_allows_none() {
        let policy = page_policy("<p>no scripts</p><script src=\"/a.js\"></script>", "h", false);
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval';"), "{policy}");
    }
}
