//! Validation of user input. Every failure names the input field it is about,
//! so the API can answer `BAD_USER_INPUT` with `extensions.field`.

/// Not `Display` on purpose: the API must map it (keeping `field`), never
/// stringify it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The input field, in GraphQL spelling (`name`, `domain`, `password`).
    pub field: &'static str,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

pub const NAME_MAX_CHARS: usize = 200;
pub const PASSWORD_MIN_CHARS: usize = 8;
/// argon2 is slow on purpose; cap the input so nobody makes us hash megabytes.
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const EMAIL_MAX_CHARS: usize = 254;
pub const DOMAIN_MAX_CHARS: usize = 253;

/// Characters that reorder the text around them (bidi embeddings,
/// overrides and isolates): a name such as `invoice\u{202E}fdp.exe` shows
/// as something it is not.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that render as nothing: a name made only of them looks empty.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
    ) || c.is_whitespace()
}

/// A display name: trimmed, non-empty, at most 200 characters, no control
/// characters, no bidi overrides, not only invisible characters.
pub fn name(field: &'static str, raw: &str) -> Result<String, ValidationError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || trimmed.chars().all(is_invisible) {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    if trimmed.chars().any(is_bidi_control) {
        return Err(ValidationError::new(
            field,
            "must not contain text-direction override characters",
        ));
    }
    if trimmed.chars().count() > NAME_MAX_CHARS {
        return Err(ValidationError::new(
            field,
            format!("must be at most {NAME_MAX_CHARS} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// A person's name where one may be left out: blank is `None` (the caller
/// picks the default), anything else must be a valid [`name`].
pub fn optional_person_name(
    field: &'static str,
    raw: &str,
) -> Result<Option<String>, ValidationError> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        name(field, raw).map(Some)
    }
}

/// A URL-safe slug from a name: lower-case ASCII letters and digits joined by
/// single dashes. Non-ASCII letters are dropped; an empty result becomes `item`.
pub fn slugify(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(ch.to_ascii_lowercase());
        } else {
            dash = true;
        }
        if out.len() >= 60 {
            break;
        }
    }
    if out.is_empty() {
        out.push_str("item");
    }
    out
}

/// A slug given explicitly by a user.
pub fn slug(field: &'static str, raw: &str) -> Result<String, ValidationError> {
    let s = raw.trim();
    let ok = !s.is_empty()
        && s.len() <= 60
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    if ok {
        Ok(s.to_owned())
    } else {
        Err(ValidationError::new(
            field,
            "must be 1-60 lower-case letters, digits and dashes",
        ))
    }
}

/// An email address, trimmed and lower-cased. Deliberately permissive (one
/// `@`, a dot in the domain, no spaces): the mailbox is the real test.
pub fn email(raw: &str) -> Result<String, ValidationError> {
    let e = raw.trim().to_lowercase();
    let bad = || ValidationError::new("email", "must be a valid email address");
    if e.is_empty() || e.chars().count() > EMAIL_MAX_CHARS {
        return Err(bad());
    }
    let (local, domain) = e.split_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || domain.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || e.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad());
    }
    Ok(e)
}

/// Passwords attackers try first (8 characters or more: shorter ones fail
/// the length rule anyway), lower-case.
const COMMON_PASSWORDS: &str = include_str!("data/common_passwords.txt");

/// A new password: 8–128 characters, not one of the most common passwords,
/// not a single repeated character.
pub fn password(raw: &str) -> Result<&str, ValidationError> {
    password_shape(raw)?;
    let lower = raw.to_lowercase();
    let first = lower.chars().next();
    if COMMON_PASSWORDS.lines().any(|p| p == lower) || lower.chars().all(|c| Some(c) == first) {
        return Err(ValidationError::new(
            "password",
            "is too common; choose a longer, less predictable password",
        ));
    }
    Ok(raw)
}

/// A new password for the user of `email`: [`password`], and not the
/// address or its local part.
pub fn new_password<'a>(raw: &'a str, email: &str) -> Result<&'a str, ValidationError> {
    password(raw)?;
    let lower = raw.to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    if lower == email.to_lowercase() || (local.len() >= 4 && lower.contains(&local.to_lowercase()))
    {
        return Err(ValidationError::new(
            "password",
            "must not contain your email address",
        ));
    }
    Ok(raw)
}

fn password_shape(raw: &str) -> Result<&str, ValidationError> {
    let n = raw.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err(ValidationError::new(
            "password",
            format!("must be at least {PASSWORD_MIN_CHARS} characters"),
        ));
    }
    if n > PASSWORD_MAX_CHARS {
        return Err(ValidationError::new(
            "password",
            format!("must be at most {PASSWORD_MAX_CHARS} characters"),
        ));
    }
    Ok(raw)
}

/// A site's domain: accepts `example.com`, `https://Example.com/blog/`, and
/// stores the bare lower-case host (`example.com`). Empty means none.
pub fn domain(raw: &str) -> Result<Option<String>, ValidationError> {
    let mut d = raw.trim().to_lowercase();
    if d.is_empty() {
        return Ok(None);
    }
    for scheme in ["https://", "http://"] {
        if let Some(rest) = d.strip_prefix(scheme) {
            d = rest.to_owned();
        }
    }
    if let Some((host, _path)) = d.split_once('/') {
        d = host.to_owned();
    }
    let host = d.split(':').next().unwrap_or_default();
    let labels_ok = host.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if host.len() > DOMAIN_MAX_CHARS || !host.contains('.') || !labels_ok {
        return Err(ValidationError::new(
            "domain",
            "must be a domain name such as example.com",
        ));
    }
    Ok(Some(d))
}

/// Free text such as a description: trimmed, at most `max` characters, no
/// control characters but newlines and tabs. Empty is allowed.
pub fn text(field: &'static str, raw: &str, max: usize) -> Result<String, ValidationError> {
    let trimmed = raw.trim();
    if trimmed.chars().count() > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// A short label (a tone, a language, a model name): non-empty, one line,
/// at most `max` characters.
pub fn label(field: &'static str, raw: &str, max: usize) -> Result<String, ValidationError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    if trimmed.chars().count() > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// An API key as pasted: one token of printable ASCII, 8–512 characters.
pub fn api_key(field: &'static str, raw: &str) -> Result<String, ValidationError> {
    let k = raw.trim();
    if k.len() < 8 || k.len() > 512 {
        return Err(ValidationError::new(
            field,
            "must be between 8 and 512 characters",
        ));
    }
    if !k.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ValidationError::new(
            field,
            "must be printable ASCII without spaces",
        ));
    }
    Ok(k.to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_left_out_name_is_none_and_a_given_one_is_checked() {
        assert_eq!(optional_person_name("name", "  "), Ok(None));
        assert_eq!(
            optional_person_name("name", " Ada "),
            Ok(Some("Ada".into()))
        );
        assert!(optional_person_name("name", "a\u{202E}b").is_err());
    }
    use super::*;

    #[test]
    fn names_are_trimmed_and_must_not_be_empty() {
        assert_eq!(name("name", "  My Site ").unwrap(), "My Site");
        assert_eq!(name("name", "   ").unwrap_err().field, "name");
        assert!(name("name", &"x".repeat(201)).is_err());
        assert!(name("name", &"é".repeat(200)).is_ok());
        assert!(name("name", "a\u{0}b").is_err());
    }

    #[test]
    fn names_that_hide_or_reorder_text_are_refused() {
        // issue 13: a right-to-left override makes `exe.pdf` read as `fdp.exe`
        for spoof in ["invoice\u{202E}fdp.exe", "a\u{2066}b", "\u{202D}Admin"] {
            assert!(name("name", spoof).is_err(), "{spoof:?} accepted");
        }
        for invisible in ["\u{200B}", "\u{200B}\u{200C}\u{200D}", " \u{FEFF} \u{2060}"] {
            assert_eq!(name("name", invisible).unwrap_err().field, "name");
        }
        // joiners inside real text are fine (emoji sequences, scripts)
        assert!(name("name", "Ada\u{200D}Lovelace").is_ok());
        assert!(name("name", "مرحبا").is_ok());
    }

    #[test]
    fn slugify_makes_url_safe_slugs() {
        assert_eq!(slugify("My  Great Site!"), "my-great-site");
        assert_eq!(slugify("--Café 2024--"), "caf-2024");
        assert_eq!(slugify("日本"), "item");
        assert!(slugify(&"ab ".repeat(100)).len() <= 61);
    }

    #[test]
    fn explicit_slugs_are_checked() {
        assert!(slug("slug", "good-slug-1").is_ok());
        assert!(slug("slug", "Bad").is_err());
        assert!(slug("slug", "-x").is_err());
        assert!(slug("slug", "").is_err());
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(email(" Ann@Example.COM ").unwrap(), "ann@example.com");
        for bad in [
            "", "ann", "ann@", "@x.io", "a@b", "a b@x.io", "a@@x.io", "a@x.",
        ] {
            assert!(email(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn passwords_have_bounds() {
        assert!(password("short").is_err());
        assert!(password("long enough").is_ok());
        assert!(password(&"p".repeat(129)).is_err());
    }

    #[test]
    fn common_and_personal_passwords_are_refused() {
        for weak in [
            "password",
            "Password1",
            "12345678",
            "qwertyuiop",
            "iloveyou",
            "zzzzzzzzzz",
        ] {
            assert_eq!(password(weak).unwrap_err().field, "password", "{weak}");
        }
        assert!(password("correct horse battery").is_ok());
        assert!(new_password("ann.smith-2026!", "ann.smith@example.com").is_err());
        assert!(new_password("ann@example.com", "ann@example.com").is_err());
        assert!(new_password("a quiet violet lamp", "ann@example.com").is_ok());
    }

    #[test]
    fn domains_are_reduced_to_hosts() {
        assert_eq!(
            domain("https://Example.com/blog/").unwrap().as_deref(),
            Some("example.com")
        );
        assert_eq!(domain("").unwrap(), None);
        assert!(domain("not a domain").is_err());
        assert!(domain("localhost").is_err());
        assert!(domain("-bad-.com").is_err());
    }

    #[test]
    fn free_text_labels_and_keys() {
        assert_eq!(text("d", "  two\nlines ", 20).unwrap(), "two\nlines");
        assert_eq!(text("d", "", 20).unwrap(), "");
        assert!(text("d", "x\u{7}", 20).is_err());
        assert!(text("d", &"x".repeat(21), 20).is_err());
        assert_eq!(label("tone", " friendly ", 40).unwrap(), "friendly");
        assert!(label("tone", "  ", 40).is_err());
        assert!(label("tone", "a\nb", 40).is_err());
        assert_eq!(api_key("k", " sk-abc12345 ").unwrap(), "sk-abc12345");
        assert!(api_key("k", "short").is_err());
        assert!(api_key("k", "sk abc 12345").is_err());
    }
}
