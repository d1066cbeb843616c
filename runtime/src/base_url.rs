//! Where the API lives, and the credentials a base URL may carry.

use std::fmt;

use percent_encoding::percent_decode_str;
use url::Url;

use crate::auth::Auth;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// Where the API lives: a URL such as `https://api.example.com/v1`, or a vendor
/// region (which converts into one).
///
/// A URL written with credentials, `https://<user>:<password>@<host>`, sends them
/// as HTTP Basic (percent-decoded) when no other [`Auth`] is set; they are taken
/// out of the URL the client keeps, and never printed.
///
/// Validation happens in [`ClientBuilder::build`](crate::ClientBuilder::build), so
/// a bad URL is an error there, not a panic here.
///
/// ```
/// use secgen_runtime::BaseUrl;
///
/// let base_url = BaseUrl::from("https://client-id:api-key@api.example.com/v1");
/// assert!(!format!("{base_url:?}").contains("api-key"));
/// ```
#[derive(Clone)]
pub struct BaseUrl(std::result::Result<Located, String>);

/// A valid base URL, without credentials, and the credentials it was written with.
#[derive(Clone)]
pub(crate) struct Located {
    pub(crate) url: Url,
    credentials: Option<UrlCredentials>,
}

/// The user name and password of a base URL, percent-decoded.
#[derive(Clone)]
struct UrlCredentials {
    username: String,
    password: Secret,
}

impl BaseUrl {
    pub(crate) fn from_text(text: impl AsRef<str>) -> Self {
        let text = text.as_ref();
        let parsed =
            Url::parse(text).map_err(|error| format!("base URL `{}`: {error}", text_without_credentials(text)));
        BaseUrl(parsed.and_then(Located::new))
    }

    pub(crate) fn into_located(self) -> Result<Located> {
        self.0.map_err(Error::Config)
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Ok(located) => f
                .debug_struct("BaseUrl")
                .field("url", &located.url.as_str())
                .field("credentials", &located.credentials.as_ref().map(|_| Secret::new("")))
                .finish(),
            Err(message) => f.debug_tuple("BaseUrl").field(&format_args!("invalid: {message}")).finish(),
        }
    }
}

impl Located {
    fn new(url: Url) -> std::result::Result<Self, String> {
        validate(&url)?;
        let credentials = UrlCredentials::of(&url)?;
        let mut url = url;
        // `validate` checked for an http(s) URL with a host, where this cannot fail.
        if url.set_username("").is_err() || url.set_password(None).is_err() {
            return Err(format!("base URL `{}`: its credentials cannot be removed", url_without_credentials(&url)));
        }
        Ok(Located { url, credentials })
    }

    /// The auth to send: `explicit`, or else the URL's credentials as HTTP Basic.
    pub(crate) fn auth(&self, explicit: Auth) -> Auth {
        match &self.credentials {
            None => explicit,
            Some(credentials) if explicit.is_none() => {
                Auth::basic(credentials.username.clone(), credentials.password.clone())
            }
            Some(_) => {
                tracing::warn!(
                    base_url = %self.url,
                    "the base URL has credentials and auth is set too: sending the auth set, not the URL's credentials"
                );
                explicit
            }
        }
    }
}

impl UrlCredentials {
    fn of(url: &Url) -> std::result::Result<Option<Self>, String> {
        if url.username().is_empty() && url.password().is_none() {
            return Ok(None);
        }
        let decode = |text: &str| {
            percent_decode_str(text).decode_utf8().map(|decoded| decoded.into_owned()).map_err(|_| {
                format!(
                    "base URL `{}`: its credentials are not UTF-8 once percent-decoded",
                    url_without_credentials(url)
                )
            })
        };
        let username = decode(url.username())?;
        let password = Secret::new(decode(url.password().unwrap_or_default())?);
        Ok(Some(UrlCredentials { username, password }))
    }
}

fn validate(url: &Url) -> std::result::Result<(), String> {
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!("base URL `{}` must be an http(s) URL with a host", url_without_credentials(url)));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("base URL `{}` must not have a query or fragment", url_without_credentials(url)));
    }
    Ok(())
}

/// The URL as it may be quoted: the password replaced by `***`, and a user name
/// without a password (which may be a token) too.
fn url_without_credentials(url: &Url) -> String {
    let mut quoted = url.clone();
    if url.password().is_some() {
        let _ = quoted.set_password(Some("***"));
    } else if !url.username().is_empty() {
        let _ = quoted.set_username("***");
    }
    quoted.to_string()
}

/// [`url_without_credentials`] for text that does not parse: everything between
/// the scheme and the last `@` is taken as credentials.
fn text_without_credentials(text: &str) -> String {
    let authority_start = text.find("://").map_or(0, |scheme_end| scheme_end + 3);
    let Some(at) = text.rfind('@').filter(|at| *at >= authority_start) else { return text.to_owned() };
    let userinfo = &text[authority_start..at];
    let kept_user = match userinfo.find(':') {
        Some(colon) => &userinfo[..=colon],
        None => "",
    };
    format!("{}{kept_user}***{}", &text[..authority_start], &text[at..])
}

impl From<&str> for BaseUrl {
    fn from(text: &str) -> Self {
        BaseUrl::from_text(text)
    }
}

impl From<String> for BaseUrl {
    fn from(text: String) -> Self {
        BaseUrl::from_text(text)
    }
}

impl From<Url> for BaseUrl {
    fn from(url: Url) -> Self {
        BaseUrl(Located::new(url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_urls_hide_passwords_and_lone_user_names() {
        assert_eq!(text_without_credentials("https://id:p@ss/w@exa mple.com/v1"), "https://id:***@exa mple.com/v1");
        assert_eq!(text_without_credentials("token@host/v1"), "***@host/v1");
        assert_eq!(text_without_credentials("https://exa mple.com/v1"), "https://exa mple.com/v1");
        let url = Url::parse("https://id:secret@example.com/v1").unwrap();
        assert_eq!(url_without_credentials(&url), "https://id:***@example.com/v1");
        let url = Url::parse("https://token@example.com/v1").unwrap();
        assert_eq!(url_without_credentials(&url), "https://***@example.com/v1");
    }
}
