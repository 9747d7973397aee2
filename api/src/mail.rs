//! Outgoing mail over SMTP (`IGNY8_SMTP_URL`, lettre on tokio + rustls):
//! address verification, password reset, invitations. Mails are sent off
//! the request (so an answer takes as long whether or not a mail went out);
//! failures are logged. Without SMTP, development logs the mail (links
//! included) and production refuses the operations that need it.

use crate::config::MailSettings;
use crate::error::{ApiError, ApiResult};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    public_url: String,
    production: bool,
}

/// One mail: who gets it and what it says (plain text).
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mailer {
    pub fn new(settings: &MailSettings, production: bool) -> anyhow::Result<Self> {
        let transport = settings
            .smtp_url
            .as_deref()
            .map(|url| {
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map(|b| b.build())
                    .map_err(|e| anyhow::anyhow!("IGNY8_SMTP_URL is not valid: {e}"))
            })
            .transpose()?;
        let from = settings
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("IGNY8_MAIL_FROM is not valid: {e}"))?;
        Ok(Mailer {
            transport,
            from,
            public_url: settings.public_url.clone(),
            production,
        })
    }

    /// Refuses, in production without SMTP, an operation whose mail could
    /// not go out.
    pub fn ensure_available(&self) -> ApiResult<()> {
        if self.transport.is_none() && self.production {
            return Err(ApiError::forbidden(
                "this server cannot send mail (IGNY8_SMTP_URL is not set); ask its operator",
            ));
        }
        Ok(())
    }

    /// A page of the web client.
    pub fn page(&self, path: &str) -> String {
        format!("{}/{path}", self.public_url)
    }

    /// A link into the web client carrying `token`.
    pub fn link(&self, path: &str, token: &str) -> String {
        format!("{}/{path}?token={token}", self.public_url)
    }

    /// Sends `mail` in the background.
    pub fn send(&self, mail: Mail) {
        let Some(transport) = self.transport.clone() else {
            if self.production {
                // only mails that are optional get here (the others were refused)
                tracing::info!(mail.subject = %mail.subject, "no SMTP configured; mail not sent");
                return;
            }
            // development without SMTP: the operator reads the link here
            tracing::warn!(
                mail.to = %mail.to,
                mail.subject = %mail.subject,
                "IGNY8_SMTP_URL is not set; this mail was not sent:\n{}",
                mail.body
            );
            return;
        };
        let to: Mailbox = match mail.to.parse() {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(error = %e, "mail recipient is not a valid address");
                return;
            }
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body);
        let message = match message {
            Ok(m) => m,
            Err(e) => {
                tracing::error!(error = %e, "building a mail");
                return;
            }
        };
        tokio::spawn(async move {
            match transport.send(message).await {
                Ok(_) => metrics::counter!("igny8_mails_sent_total").increment(1),
                Err(e) => {
                    metrics::counter!("igny8_mail_failures_total").increment(1);
                    tracing::error!(error = %e, "sending a mail failed");
                }
            }
        });
    }
}
