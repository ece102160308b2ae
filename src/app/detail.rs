//! The record a detail pane shows (≥ 160 columns) for a list's selected row: the model asks the
//! store for it as the selection moves, by id, and keeps only the reply to its latest request,
//! so moving fast through a long list never waits and never shows an older row's record.
//! A screen with a list holds one `Detail`, calls `follow` after each key and page, and hands
//! `DbReply::Record` to `receive`.

use super::effect::Effect;
use super::layout;
use super::model::Cx;
use crate::store::record::{Record, RecordId};
use crate::store::worker::{DbCmd, DbReply};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detail {
    /// The record asked for last, and the number of that request.
    wanted: Option<(RecordId, u64)>,
    /// The latest record that arrived, for the row it was asked for.
    pub record: Option<(RecordId, Record)>,
}

impl Detail {
    /// Asks for `selected`'s record if the pane is shown and it is not the one asked for last;
    /// nothing below `DETAIL_PANE_FROM` columns.
    pub fn follow(&mut self, selected: Option<RecordId>, cx: &mut Cx) -> Option<Effect> {
        layout::detail_pane_width(cx.width)?;
        let id = selected?;
        if self.wanted.is_some_and(|(wanted, _)| wanted == id) {
            return None;
        }
        *cx.seq += 1;
        self.wanted = Some((id, *cx.seq));
        Some(Effect::db(DbCmd::LoadRecord(*cx.seq, id)))
    }

    /// Keeps the record if it answers the latest request; `Err` gives back any other reply.
    pub fn receive(&mut self, reply: DbReply) -> Result<(), DbReply> {
        match reply {
            DbReply::Record(seq, record) => {
                if let Some((id, wanted)) = self.wanted
                    && wanted == seq
                {
                    self.record = Some((id, record));
                }
                Ok(())
            }
            other => Err(other),
        }
    }

    /// The record of `id`, if it arrived (the pane shows what the row carries until then).
    pub fn of(&self, id: RecordId) -> Option<&Record> {
        self.record
            .as_ref()
            .filter(|(shown, _)| *shown == id)
            .map(|(_, record)| record)
    }

    /// Forgets what was asked, so the next `follow` asks again (the record may have changed).
    pub fn invalidate(&mut self) {
        self.wanted = None;
    }
}
