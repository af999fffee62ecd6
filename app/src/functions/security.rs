//! The page's Content-Security-Policy, built around the nonce of this response.

use crate::content::ContentStore;
use leptos::{config::LeptosOptions, nonce::use_nonce, prelude::*};

/// The policy of an HTML page: scripts run only by this response's nonce (and the WASM it
/// loads), nothing is framed, forms post only here and to the payment provider.
pub fn page_policy(nonce: &str, provider_host: Option<&str>, live_reload: bool) -> String {
    let form_action = provider_host.map(|h| format!(" https://{h}")).unwrap_or_default();
    let connect = if live_reload { " ws: wss:" } else { "" };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'{connect}; form-action 'self'{form_action}; \
         frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
    )
}

/// Sets the page's Content-Security-Policy header for the response being rendered.
pub fn set_page_csp(options: &LeptosOptions) {
    let (Some(nonce), Some(response)) = (use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    let host = use_context::<ContentStore>().map(|s| s.snapshot().site.donation.allowed_host.clone());
    let live_reload = options.env == leptos::config::Env::DEV;
    if let Ok(value) = http::HeaderValue::from_str(&page_policy(&nonce, host.as_deref(), live_reload)) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::page_policy;

    #[test]
    fn scripts_run_by_nonce_only() {
        let policy = page_policy("abc", Some("www.paypal.com"), false);
        assert!(policy.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("form-action 'self' https://www.paypal.com;"));
        assert!(!policy.contains("ws:"));
    }
}
