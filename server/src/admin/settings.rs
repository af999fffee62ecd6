//! The editor's settings, read once from the environment when the router is built.

use std::{env, fmt, path::PathBuf};
use url::Url;

/// The address of the local backend (`decap-server`) when editing a checkout in development.
pub const DEFAULT_LOCAL_BACKEND: &str = "http://127.0.0.1:8081/api/v1";

/// The default largest PDF an editor may upload, in megabytes.
const DEFAULT_UPLOAD_MB: u64 = 20;

/// GitHub's sign-in host, unless `CMS_BASE_URL` names a GitHub Enterprise server.
pub const GITHUB_SIGN_IN: &str = "https://github.com";

/// GitHub's API, unless `CMS_API_ROOT` names another (GitHub Enterprise: `https://HOST/api/v3`).
pub const GITHUB_API: &str = "https://api.github.com";

/// A Git host the editor publishes through in production (see [`GitBackend::name`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitBackend {
    /// `CMS_BACKEND`: `gitlab` (changes go through merge requests: the editorial workflow),
    /// `gitea` (Gitea or Forgejo; Decap publishes there directly), both signing in with PKCE in
    /// the page itself; or `github` (pull requests: the editorial workflow), signing in through
    /// the server, which alone holds the OAuth app's secret (`admin::github`).
    pub name: String,
    /// `CMS_REPO`: `owner/name` of the content's repository.
    pub repo: String,
    /// `CMS_BRANCH`: the branch the site is deployed from (default `main`).
    pub branch: String,
    /// `CMS_BASE_URL`: the host's sign-in address (the GitLab, Gitea or GitHub Enterprise
    /// instance), when it is not the backend's default (`https://gitlab.com`, [`GITHUB_SIGN_IN`]).
    pub base_url: Option<String>,
    /// `CMS_API_ROOT`: the host's API address for a self-hosted GitLab, Gitea, Forgejo or
    /// GitHub Enterprise.
    pub api_root: Option<String>,
    /// `CMS_APP_ID`: the OAuth application's id (GitLab and Gitea sign in with PKCE; on GitHub,
    /// the OAuth App's client id).
    pub app_id: String,
    /// The contents of `CMS_GITHUB_SECRET_FILE`: the GitHub OAuth App's client secret (GitHub
    /// only; `None` for the others, which need none).
    pub client_secret: Option<ClientSecret>,
}

impl GitBackend {
    /// Where the editor signs in: `CMS_BASE_URL`, or the host's default.
    pub fn sign_in_host(&self) -> &str {
        match (&self.base_url, self.name.as_str()) {
            (Some(url), _) => url,
            (None, "github") => GITHUB_SIGN_IN,
            (None, "gitlab") => "https://gitlab.com",
            (None, _) => "https://try.gitea.io",
        }
    }

    /// The API the CMS calls from the browser: `CMS_API_ROOT`, or the host's default (on GitLab
    /// and Gitea, under the sign-in host).
    pub fn api_host(&self) -> &str {
        match (&self.api_root, self.name.as_str()) {
            (Some(url), _) => url,
            (None, "github") => GITHUB_API,
            (None, _) => self.sign_in_host(),
        }
    }
}

/// An OAuth client secret: only the server holds it; never printed, not even by `{:?}`.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    /// The secret itself, for the one request that needs it (the code's exchange).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(…)")
    }
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
            Some(name) if BACKENDS.contains(&name.as_str()) => Some(git_backend(name, &var)?),
            Some(other) => return Err(format!("CMS_BACKEND={other}: expected one of {}", BACKENDS.join(", "))),
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

/// The Git hosts `CMS_BACKEND` may name.
const BACKENDS: [&str; 3] = ["gitlab", "gitea", "github"];

/// The settings of the Git host `name` (one of [`BACKENDS`]).
fn git_backend(name: String, var: &impl Fn(&str) -> Option<String>) -> Result<GitBackend, String> {
    let repo = var("CMS_REPO").ok_or("CMS_BACKEND needs CMS_REPO (owner/name)")?;
    if repo.split('/').filter(|part| !part.is_empty()).count() < 2 {
        return Err(format!("CMS_REPO={repo}: expected owner/name"));
    }
    let address = |name: &str| var(name).map(|url| https_or_loopback(name, &url)).transpose();
    let client_secret = match (name.as_str(), var("CMS_GITHUB_SECRET_FILE")) {
        ("github", Some(file)) => Some(read_secret(&file)?),
        ("github", None) => {
            return Err(
                "CMS_BACKEND=github needs CMS_GITHUB_SECRET_FILE (a file holding the OAuth App's \
                 client secret)"
                    .into(),
            )
        }
        _ => None,
    };
    Ok(GitBackend {
        repo,
        branch: var("CMS_BRANCH").unwrap_or_else(|| "main".into()),
        base_url: address("CMS_BASE_URL")?,
        api_root: address("CMS_API_ROOT")?,
        app_id: var("CMS_APP_ID").ok_or(if name == "github" {
            "CMS_BACKEND=github needs CMS_APP_ID (the OAuth App's client id)"
        } else {
            "CMS_BACKEND needs CMS_APP_ID (the OAuth application's id)"
        })?,
        client_secret,
        name,
    })
}

/// The client secret from the file `CMS_GITHUB_SECRET_FILE` names. A file rather than a variable:
/// the environment of a process is readable by every process of its user (`/proc/PID/environ`),
/// passed on to its children and shown by service managers (`systemctl show`, `docker inspect`),
/// while a file can be readable by the server alone (systemd's `LoadCredential=`, a container
/// secret under `/run/secrets`).
fn read_secret(file: &str) -> Result<ClientSecret, String> {
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("CMS_GITHUB_SECRET_FILE={file}: cannot be read: {e}"))?;
    let secret = text.trim();
    if secret.is_empty() || secret.contains(char::is_whitespace) {
        return Err(format!(
            "CMS_GITHUB_SECRET_FILE={file}: expected the client secret alone, on one line"
        ));
    }
    Ok(ClientSecret(secret.to_owned()))
}

/// The address in `name` (`CMS_BASE_URL`, `CMS_API_ROOT`) without its trailing `/`: `https`, or
/// plain `http` on loopback with a port (`http://127.0.0.1:PORT`), which only a stand-in for the
/// Git host on the same machine can be (the end-to-end test of the GitHub sign-in runs one).
fn https_or_loopback(name: &str, url: &str) -> Result<String, String> {
    let parsed = Url::parse(url).map_err(|e| format!("{name}={url}: not a URL ({e})"))?;
    let loopback = parsed.scheme() == "http"
        && parsed.port().is_some()
        && matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    let plain = parsed.username().is_empty()
        && parsed.password().is_none()
        && parsed.query().is_none()
        && parsed.fragment().is_none();
    if !(parsed.scheme() == "https" && parsed.host_str().is_some() || loopback) {
        return Err(format!(
            "{name}={url}: expected an https URL (or http://127.0.0.1:PORT on this machine)"
        ));
    }
    if !plain {
        return Err(format!(
            "{name}={url}: expected an address without user, query or fragment"
        ));
    }
    Ok(url.trim_end_matches('/').to_owned())
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

    /// A file holding `text`, removed when the test ends.
    struct SecretFile(PathBuf);

    impl SecretFile {
        fn new(name: &str, text: &str) -> Self {
            let path = env::temp_dir().join(format!("aipr-{name}-{}", std::process::id()));
            std::fs::write(&path, text).unwrap();
            SecretFile(path)
        }

        fn path(&self) -> &str {
            self.0.to_str().unwrap()
        }
    }

    impl Drop for SecretFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    #[test]
    fn github_needs_its_client_id_and_a_file_with_its_secret() {
        let secret = SecretFile::new("github-secret", "s3cret-value\n");
        let base = [("CMS_BACKEND", "github"), ("CMS_REPO", "aipr/website")];
        let with = |extra: &[(&str, &str)]| settings(false, &[&base[..], extra].concat());
        let error = with(&[("CMS_APP_ID", "Iv1.abc")]).unwrap_err();
        assert!(error.contains("CMS_GITHUB_SECRET_FILE"), "{error}");
        let error = with(&[("CMS_GITHUB_SECRET_FILE", secret.path())]).unwrap_err();
        assert!(error.contains("client id"), "{error}");
        let error = with(&[("CMS_APP_ID", "x"), ("CMS_GITHUB_SECRET_FILE", "/nonexistent/secret")]).unwrap_err();
        assert!(error.contains("cannot be read"), "{error}");
        let two_words = SecretFile::new("github-two-words", "one two");
        assert!(with(&[("CMS_APP_ID", "x"), ("CMS_GITHUB_SECRET_FILE", two_words.path())]).is_err());

        let github = with(&[("CMS_APP_ID", "Iv1.abc"), ("CMS_GITHUB_SECRET_FILE", secret.path())]).unwrap();
        let git = github.git.expect("a backend");
        assert_eq!(
            git.client_secret.as_ref().map(ClientSecret::expose),
            Some("s3cret-value")
        );
        assert_eq!((git.sign_in_host(), git.api_host()), (GITHUB_SIGN_IN, GITHUB_API));
        let printed = format!("{git:?}");
        assert!(!printed.contains("s3cret"), "the secret is never printed: {printed}");
    }

    #[test]
    fn git_host_addresses_are_https_or_loopback_with_a_port() {
        let secret = SecretFile::new("github-addresses", "s");
        let github = |name: &str, url: &str| {
            settings(
                false,
                &[
                    ("CMS_BACKEND", "github"),
                    ("CMS_REPO", "aipr/website"),
                    ("CMS_APP_ID", "x"),
                    ("CMS_GITHUB_SECRET_FILE", secret.path()),
                    (name, url),
                ],
            )
        };
        for url in [
            "http://github.example",
            "http://127.0.0.1",
            "http://10.0.0.1:3019",
            "http://127.0.0.1.example:3019",
            "ftp://github.example",
            "https://user:pw@github.example",
            "https://github.example/?x=1",
            "github.example",
        ] {
            assert!(github("CMS_BASE_URL", url).is_err(), "CMS_BASE_URL={url}");
            assert!(github("CMS_API_ROOT", url).is_err(), "CMS_API_ROOT={url}");
        }
        let enterprise = github("CMS_API_ROOT", "https://github.example/api/v3/").unwrap();
        assert_eq!(enterprise.git.unwrap().api_host(), "https://github.example/api/v3");
        let stand_in = github("CMS_BASE_URL", "http://127.0.0.1:3019").unwrap();
        assert_eq!(stand_in.git.unwrap().sign_in_host(), "http://127.0.0.1:3019");
    }

    #[test]
    fn folders_stay_inside_the_repository_and_uploads_have_a_limit() {
        assert!(settings(true, &[("CMS_CONTENT_PATH", "../elsewhere")]).is_err());
        assert!(settings(true, &[("CMS_UPLOAD_MB", "0")]).is_err());
        let s = settings(true, &[("CMS_CONTENT_PATH", "/site/content/"), ("CMS_UPLOAD_MB", "5")]).unwrap();
        assert_eq!((s.content_path.as_str(), s.upload_bytes), ("site/content", 5 << 20));
    }
}
