//! Uploads examined before anything is written: files picked or dropped,
//! files made from the stored data, and months typed or pasted all become
//! the same report and plan ([`Prepared`]), which "Insertar" hands back to
//! [`Session::insert`]. A refusal is logged here, whichever way it came.

use leche_core::data::clean::MAX_FILE_BYTES;
use leche_core::data::paste::PASTE_NAME;
use leche_core::data::workbook;
use leptos::prelude::*;

use super::Session;
use crate::browser::{clock, files};
use crate::view::format::count;
use crate::view::interaction::Kind;
use crate::view::paste_preview::{gap_notes, prepare_paste, LinePreview};
use crate::view::report::{prepare, size_limit_text, Choices, Prepared, Report};
use crate::worker;

/// Uploads up to this size are validated in the page (a few milliseconds);
/// larger ones in the worker, so the page keeps answering.
const IN_PAGE_BYTES: f64 = 1_048_576.0;

fn refused(reason: String) -> Prepared {
    Prepared::refused(reason)
}

impl Session {
    /// Reads and validates picked or dropped files against the stored
    /// tables, with the bulletins' series `choices`: in the page when small,
    /// else in the worker.
    pub async fn examine(&self, files: Vec<web_sys::File>, choices: Choices) -> Prepared {
        let names: Vec<String> = files.iter().map(|f| f.name()).collect();
        let mut prepared = self.read_and_prepare(files, choices).await;
        self.add_gap_notes(&mut prepared);
        self.examined(&names, prepared)
    }

    /// The months a bulletin leaves missing after the stored ones, and what
    /// that means for the default model (as a paste's preview says).
    fn add_gap_notes(&self, prepared: &mut Prepared) {
        let model = self.model(self.default_model());
        if let (Report::Ready { notes, .. }, Some(plan)) = (&mut prepared.report, &prepared.plan) {
            notes.extend(self.db.with_untracked(|db| gap_notes(db, plan, model.as_ref())));
        }
    }

    /// Files already in memory (the sample files made from the stored data).
    pub fn examine_read(&self, files: &[(String, Vec<u8>)]) -> Prepared {
        let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
        let prepared = self.db.with_untracked(|db| prepare(db, files, clock::this_month(), &Choices::new()));
        self.examined(&names, prepared)
    }

    /// Months typed in the grid or pasted, previewed line by line and
    /// planned as one upload, reading series `choice` of the tables pasted
    /// (the default one when `None`); the default model's needs add the notes.
    pub fn examine_typed(&self, text: &str, grid: &[(String, String)], choice: Option<usize>) -> (Prepared, Vec<LinePreview>) {
        let model = self.model(self.default_model());
        let preview = self.db.with_untracked(|db| prepare_paste(db, text, grid, clock::this_month(), model.as_ref(), choice));
        let mut prepared = preview.prepared;
        if let Report::Ready { notes, .. } = &mut prepared.report {
            notes.extend(preview.notes);
        }
        (self.examined(&[PASTE_NAME.to_string()], prepared), preview.lines)
    }

    async fn read_and_prepare(&self, files: Vec<web_sys::File>, choices: Choices) -> Prepared {
        // Refused before reading: a huge file must not stall the page.
        if let Some(f) = files.iter().find(|f| f.size() > MAX_FILE_BYTES as f64) {
            return refused(format!(
                "Archivo rechazado: {} pesa {} bytes, más que el límite de {}.",
                f.name(),
                count(f.size() as usize),
                size_limit_text()
            ));
        }
        let Some(today) = clock::this_month() else {
            return refused("El reloj de este equipo marca una fecha imposible; corríjalo y vuelva a intentar.".into());
        };
        // Workbooks are read in the worker whatever their size: only its module links calamine.
        if files.iter().map(|f| f.size()).sum::<f64>() > IN_PAGE_BYTES || files.iter().any(|f| workbook::is_workbook(&f.name())) {
            return match worker::prepare(&files, today, choices).await {
                Ok((report, plan)) => Prepared { report, plan },
                Err(e) => refused(format!("No se pudieron validar los archivos: {e}.")),
            };
        }
        let mut read = Vec::with_capacity(files.len());
        for f in &files {
            match files::bytes(f).await {
                Ok(bytes) => read.push((f.name(), bytes)),
                Err(e) => return refused(format!("{e}.")),
            }
        }
        self.db.with_untracked(|db| prepare(db, &read, Some(today), &choices))
    }

    /// Logs a refusal, and passes the examination on.
    fn examined(&self, names: &[String], prepared: Prepared) -> Prepared {
        if let Report::Refused { reasons } = &prepared.report {
            self.log(Kind::CargaRechazada, format!("Carga rechazada: {}", names.join(", ")), reasons.join("\n"));
        }
        prepared
    }
}
