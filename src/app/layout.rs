//! The fixed parts of the screen, shared by `update` (to page by a screenful) and `view`.

/// Below this size the app asks for a bigger terminal instead of drawing.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Header, menu and footer: one line each.
pub const CHROME_LINES: u16 = 3;

/// Lines a bordered table spends besides its rows: two borders and the column header.
pub const TABLE_FRAME_LINES: u16 = 3;

/// How many rows of a list fit on a terminal of this height.
pub fn list_rows(height: u16) -> usize {
    height
        .saturating_sub(CHROME_LINES + TABLE_FRAME_LINES)
        .max(1) as usize
}

pub fn too_small(width: u16, height: u16) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// Rows of the Customers list and of the expanded record's subscriptions below it, when a record
/// is expanded and `wanted` subscriptions are known: the record takes only the rows it needs
/// (one at least, for "Loading…" or "No subscriptions yet"), at most about half the body, and the
/// list keeps the rest.
pub fn split_rows(height: u16, wanted: usize) -> (usize, usize) {
    let body = height.saturating_sub(CHROME_LINES);
    let most = body.saturating_sub((body / 2).max(TABLE_FRAME_LINES + 2));
    let wanted = u16::try_from(wanted.max(1)).unwrap_or(u16::MAX);
    let pane_box = wanted.saturating_add(TABLE_FRAME_LINES).min(most);
    let list_box = body.saturating_sub(pane_box);
    (
        list_box.saturating_sub(TABLE_FRAME_LINES).max(1) as usize,
        pane_box.saturating_sub(TABLE_FRAME_LINES).max(1) as usize,
    )
}

/// From this width a detail pane beside the list shows the selected row's record.
pub const DETAIL_PANE_FROM: u16 = 160;

/// Columns the detail pane takes of a terminal this wide (`None` below `DETAIL_PANE_FROM`): two
/// fifths, between 64 and 90, so the list keeps the larger part.
pub fn detail_pane_width(width: u16) -> Option<u16> {
    (width >= DETAIL_PANE_FROM).then(|| (width * 2 / 5).clamp(64, 90))
}
