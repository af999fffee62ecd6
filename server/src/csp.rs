//! The pages' Content-Security-Policy. Scripts run only from the site itself, and inline only
//! the scripts the render wrote into the page, each allowed by its SHA-256 hash (see
//! `render.rs`: the render's own scripts are those rendered once by the site, and those
//! carrying the render's nonce). A page is then the same bytes for every visitor, so it can be
//! kept and shared.

use base64::{engine::general_purpose::STANDARD, Engine as _};
use sha2::{Digest, Sha256};

/// The policy of an HTML page: the texts of the inline `scripts` the render wrote, by hash;
/// WASM from the site, nothing framed, forms posting only here and to the payment provider's
/// `https` host. `live_reload` lets the development reload socket connect.
pub fn page_policy(scripts: &[&str], provider_host: &str, live_reload: bool) -> String {
    let mut hashes = String::new();
    for script in scripts {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_exactly_the_scripts_it_is_given() {
        let scripts = ["__RESOLVED_RESOURCES=[];", "x()"];
        let policy = page_policy(&scripts, "www.paypal.com", false);
        let digest = |text: &str| STANDARD.encode(Sha256::digest(text.as_bytes()));
        assert!(policy.contains(&format!(
            "script-src 'self' 'sha256-{}' 'sha256-{}' 'wasm-unsafe-eval';",
            digest(scripts[0]),
            digest(scripts[1])
        )));
        assert!(!policy.contains("unsafe-inline") && !policy.contains("nonce"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("form-action 'self' https://www.paypal.com;"));
        assert!(!policy.contains("ws:"));
        assert!(page_policy(&[], "h", true).contains("connect-src 'self' ws: wss:"));
    }

    #[test]
    fn a_page_without_inline_scripts_allows_none() {
        let policy = page_policy(&[], "h", false);
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval';"), "{policy}");
    }
}
