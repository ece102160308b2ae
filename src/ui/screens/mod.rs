//! One view per screen and modal, of the same name as its model in `app::screens`; the
//! dispatch below is written from the same list (`with_rooms!`), so a new one needs no line here.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::screens::Modal;
use crate::app::state::AppState;
use crate::ui::theme::Theme;

macro_rules! views {
    (
        screens { $($screen:ident: $smod:ident::$stype:ident,)* }
        modals { $($modal:ident: $mmod:ident::$mtype:ident,)* }
    ) => {
        $(pub mod $smod;)*
        $(pub mod $mmod;)*

        /// The screen shown, in `area`.
        pub fn screen(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
            use crate::app::nav::Screen;
            match state.screen {
                $(Screen::$screen => $smod::view(&state.screens.$smod, state, theme, frame, area),)*
            }
        }

        /// One layer of the modal stack, over `area`.
        pub fn modal(modal: &Modal, state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
            match modal {
                $(Modal::$modal(m) => $mmod::view(m, state, theme, frame, area),)*
            }
        }
    };
}

crate::app::screens::with_rooms!(views);
