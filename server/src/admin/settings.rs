//! The editor's settings, read once from the environment when the router is built.

use std::{env, path::PathBuf};

/// The address of the local backend (`decap-server`) when editing a checkout in development.
pub const DEFAULT_LOCAL_BACKEND: &str = "http://127.0.0.1:8081/api/v1";

/// The default largest PDF an editor may upload, in megabytes.
const DEFAULT_UPLOAD_MB: u64 = 20;

/// A Git host the editor publishes through in production, as merge requests (the editorial
/// workflow).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitBackend {
    /// `CMS_BACKEND`: `gitlab` (changes go through merge requests: the editorial workflow) or
    /// `gitea` (Gitea or Forgejo; Decap publishes there directly). Both sign in with PKCE, in
    /// the page itself, so no sign-in helper server is needed.
    pub name: String,
    /// `CMS_REPO`: `owner/name` of the content's repository.
    pub repo: String,
    /// `CMS_BRANCH`: the branch the site is deployed from (default `main`).
    pub branch: String,
    /// `CMS_BASE_URL`: the host's sign-in address (the GitLab or Gitea instance), when it is not
    /// the backend's default (`https://gitlab.com`).
    pub base_url: Option<String>,
    /// `CMS_API_ROOT`: the host's API address for a self-hosted GitLab, Gitea or Forgejo.
    pub api_root: Option<String>,
    /// `CMS_APP_ID`: the OAuth application's id (GitLab and Gitea sign in with PKCE).
    pub app_id: String,
}

/// Everything the editor can be told by its environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminSettings {
    /// `CMS_BACKEND` and the settings that go with it; `None`: no production backend.
    pub git: Option<GitBackend>,
    /// `CMS_LOCAL_BACKEND`: the local backend's API (`decap-server` on loopback). On by default
    /// in development, off in production unless set; `off` turns it off.
    pub local_backend: Option<String>,
    /// `CMS_CONTENT_PATH`: where the content folder is inside the repository the editor writes
    /// (default `content`).
    pub content_path: String,
    /// `CMS_PUBLIC_PATH`: where the public folder is inside that repository (default `public`).
    pub public_path: String,
    /// `CMS_UPLOAD_MB`: the largest PDF an editor may upload, in megabytes (default 20).
    pub upload_bytes: u64,
    /// `CMS_DIR`: the folder of the editor's script and of the CMS bundle (default `admin`).
    pub files_dir: PathBuf,
}

impl AdminSettings {
    /// Reads the settings; `development` is Leptos's `DEV` environment.
    pub fn from_env(development: bool) -> Result<Self, String> {
        Self::from_lookup(development, |name| env::var(name).ok())
    }

    /// Reads the settings from `lookup` (the environment, or a table in tests).
    pub fn from_lookup(development: bool, lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let var = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let local_backend = match var("CMS_LOCAL_BACKEND").as_deref() {
            Some("off" | "false" | "0") => None,
            Some(url) => Some(loopback_url(url)?),
            None if development => Some(DEFAULT_LOCAL_BACKEND.to_owned()),
            None => None,
        };
        let git = match var("CMS_BACKEND") {
            None => None,
            Some(name) if ["gitlab", "gitea"].contains(&name.as_str()) => {
                let repo = var("CMS_REPO").ok_or("CMS_BACKEND needs CMS_REPO (owner/name)")?;
                if repo.split('/').filter(|part| !part.is_empty()).count() < 2 {
                    return Err(format!("CMS_REPO={repo}: expected owner/name"));
                }
                let https = |name: &str| match var(name) {
                    Some(url) if url.starts_with("https://") => Ok(Some(url.trim_end_matches('/').to_owned())),
                    Some(url) => Err(format!("{name}={url}: expected an https URL")),
                    None => Ok(None),
                };
                Some(GitBackend {
                    name,
                    repo,
                    branch: var("CMS_BRANCH").unwrap_or_else(|| "main".into()),
                    base_url: https("CMS_BASE_URL")?,
                    api_root: https("CMS_API_ROOT")?,
                    app_id: var("CMS_APP_ID").ok_or("CMS_BACKEND needs CMS_APP_ID (the OAuth application's id)")?,
                })
            }
            Some(other) => return Err(format!("CMS_BACKEND={other}: expected gitlab or gitea")),
        };
        let upload_bytes = match var("CMS_UPLOAD_MB") {
            None => DEFAULT_UPLOAD_MB << 20,
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|mb| (1..=1024).contains(mb))
                .map(|mb| mb << 20)
                .ok_or_else(|| format!("CMS_UPLOAD_MB={v}: expected megabytes from 1 to 1024"))?,
        };
        let folder = |name: &str, default: &str| {
            let value = var(name).unwrap_or_else(|| default.into());
            let value = value.trim_matches('/').to_owned();
            if value.split('/').any(|part| part.is_empty() || part == "..") {
                return Err(format!("{name}={value}: expected a folder inside the repository"));
            }
            Ok(value)
        };
        Ok(AdminSettings {
            git,
            local_backend,
            content_path: folder("CMS_CONTENT_PATH", "content")?,
            public_path: folder("CMS_PUBLIC_PATH", "public")?,
            upload_bytes,
            files_dir: var("CMS_DIR").unwrap_or_else(|| "admin".into()).into(),
        })
    }

    /// Whether the editor is offered at all: only with a backend to save through.
    pub fn enabled(&self) -> bool {
        self.git.is_some() || self.local_backend.is_some()
    }
}

/// The local backend's URL, accepted only on loopback: the local backend writes the checkout
/// without signing in, so it must never be reachable from another machine.
fn loopback_url(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("CMS_LOCAL_BACKEND={url}: expected http://127.0.0.1:PORT/api/v1"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && port.parse::<u16>().is_ok() => name,
        _ => host,
    };
    if ["127.0.0.1", "localhost", "[::1]"].contains(&name) {
        Ok(url.trim_end_matches('/').to_owned())
    } else {
        Err(format!(
            "CMS_LOCAL_BACKEND={url}: the local backend must listen on loopback (127.0.0.1)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(development: bool, vars: &[(&str, &str)]) -> Result<AdminSettings, String> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        AdminSettings::from_lookup(development, |name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn the_local_backend_is_on_in_development_only_unless_asked() {
        let dev = settings(true, &[]).unwrap();
        assert_eq!(dev.local_backend.as_deref(), Some(DEFAULT_LOCAL_BACKEND));
        assert!(dev.enabled());
        let prod = settings(false, &[]).unwrap();
        assert_eq!(prod.local_backend, None);
        assert!(!prod.enabled(), "no editor in production without a backend");
        let off = settings(true, &[("CMS_LOCAL_BACKEND", "off")]).unwrap();
        assert_eq!(off.local_backend, None);
        let opted_in = settings(false, &[("CMS_LOCAL_BACKEND", "http://127.0.0.1:9000/api/v1/")]).unwrap();
        assert_eq!(opted_in.local_backend.as_deref(), Some("http://127.0.0.1:9000/api/v1"));
    }

    #[test]
    fn the_local_backend_must_be_on_loopback() {
        for url in [
            "http://10.0.0.2:8081/api/v1",
            "http://example.org/api/v1",
            "https://127.0.0.1:8081/api/v1",
            "http://127.0.0.1.example.org:8081/api/v1",
        ] {
            assert!(settings(true, &[("CMS_LOCAL_BACKEND", url)]).is_err(), "{url}");
        }
        assert!(settings(true, &[("CMS_LOCAL_BACKEND", "http://localhost:8081/api/v1")]).is_ok());
    }

    #[test]
    fn a_git_backend_needs_its_repository_and_https_addresses() {
        assert!(settings(false, &[("CMS_BACKEND", "gitlab")]).is_err());
        assert!(settings(
            false,
            &[("CMS_BACKEND", "svn"), ("CMS_REPO", "a/b"), ("CMS_APP_ID", "x")]
        )
        .is_err());
        assert!(
            settings(false, &[("CMS_BACKEND", "gitlab"), ("CMS_REPO", "a/b")]).is_err(),
            "no app id"
        );
        assert!(settings(
            false,
            &[
                ("CMS_BACKEND", "gitlab"),
                ("CMS_REPO", "a/b"),
                ("CMS_APP_ID", "x"),
                ("CMS_BASE_URL", "http://git.example")
            ]
        )
        .is_err());
        let gitlab = settings(
            false,
            &[
                ("CMS_BACKEND", "gitlab"),
                ("CMS_REPO", "aipr/website"),
                ("CMS_APP_ID", "abc"),
                ("CMS_BASE_URL", "https://gitlab.example/"),
            ],
        )
        .unwrap();
        let git = gitlab.git.expect("a backend");
        assert_eq!(
            (git.branch.as_str(), git.base_url.as_deref()),
            ("main", Some("https://gitlab.example"))
        );
        assert!(gitlab.local_backend.is_none());
    }

    #[test]
    fn folders_stay_inside_the_repository_and_uploads_have_a_limit() {
        assert!(settings(true, &[("CMS_CONTENT_PATH", "../elsewhere")]).is_err());
        assert!(settings(true, &[("CMS_UPLOAD_MB", "0")]).is_err());
        let s = settings(true, &[("CMS_CONTENT_PATH", "/site/content/"), ("CMS_UPLOAD_MB", "5")]).unwrap();
        assert_eq!((s.content_path.as_str(), s.upload_bytes), ("site/content", 5 << 20));
    }
}
