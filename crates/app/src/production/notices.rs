//! What a holder is told of a card ready at its point: the notices on the portal's home page
//! and the text messages queued for the SMS gateway, which reads them (each read audited as a
//! look-up: every message names a person) and reports those it sent.

use shebao_domain::access::Operation;
use shebao_store::tx::DISTRIBUTION_LISTED_MAX;

use super::distribution::{
    NotificationView, NotificationsView, OutboxView, SmsSent, SmsView, ready_notice,
};
use crate::{Actor, App, AppError, Audit};

impl App {
    /// The holder's own notices, newest first.
    pub fn my_notifications(&self, actor: &Actor) -> Result<NotificationsView, AppError> {
        self.authorise(actor, Operation::ReadNotifications)?;
        let person = actor
            .scope
            .person_id
            .clone()
            .ok_or_else(|| self.deny(actor, Operation::ReadNotifications, "-"))?;
        self.store.read(move |tx| {
            let notifications = tx
                .notifications_of(person.as_str(), DISTRIBUTION_LISTED_MAX)?
                .into_iter()
                .map(|n| {
                    Ok(NotificationView {
                        detail: ready_notice(&n.detail)?,
                        id: n.id,
                        kind: n.kind,
                        created_at: n.created_at.to_string(),
                    })
                })
                .collect::<Result<_, AppError>>()?;
            Ok(NotificationsView { notifications })
        })
    }

    /// The text messages queued for the gateway, oldest first. Each names a person, so the
    /// read is audited as a look-up.
    pub fn sms_outbox(&self, actor: &Actor) -> Result<OutboxView, AppError> {
        self.authorise(actor, Operation::ManageSmsOutbox)?;
        let outbox = self.store.read(move |tx| {
            let queued = tx
                .sms_queued(DISTRIBUTION_LISTED_MAX)?
                .into_iter()
                .map(|m| {
                    Ok(SmsView {
                        params: ready_notice(&m.params)?,
                        id: m.id,
                        person_id: m.person_id,
                        template: m.template,
                        status: m.status,
                        created_at: m.created_at.to_string(),
                    })
                })
                .collect::<Result<_, AppError>>()?;
            Ok::<_, AppError>(OutboxView { queued })
        })?;
        let detail = serde_json::json!({ "queued": outbox.queued.len() });
        self.audit_look_up(actor, "production.sms.read", "sms_outbox".into(), &detail)?;
        Ok(outbox)
    }

    /// The gateway reports messages sent: how many were still queued.
    pub fn mark_sms_sent(
        &self,
        actor: &Actor,
        key: &str,
        request: SmsSent,
    ) -> Result<i64, AppError> {
        self.authorise(actor, Operation::ManageSmsOutbox)?;
        if request.ids.is_empty() || request.ids.len() > 1_000 {
            return Err(AppError::invalid("ids", "1 to 1000 message ids"));
        }
        let ids = request.ids.clone();
        let audit = Audit::on("production.sms.sent", "sms_outbox".to_owned());
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut sent = 0_i64;
            for id in &ids {
                if tx.mark_sms_sent(id.trim(), now)? {
                    sent += 1;
                }
            }
            Ok((sent, serde_json::json!({ "sent": sent }).to_string()))
        })
    }
}
