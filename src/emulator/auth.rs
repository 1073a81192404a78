//! The virtual chip's authentication commands (ICAO Doc 9303-11 clauses 4.4, 6.1 and 6.2;
//! ISO/IEC 7816-4 clauses 11.5.1 MANAGE SECURITY ENVIRONMENT, 11.5.6 GENERAL AUTHENTICATE and
//! 11.5.2 INTERNAL AUTHENTICATE): PACE (unprotected), Chip Authentication and Active
//! Authentication (under secure messaging), routed to the chip roles in `access/`.

use super::chip::VirtualChip;
use crate::apdu::{Command, Response, sw};
use crate::error::Error;

fn status_of(e: &Error) -> u16 {
    e.sw().unwrap_or(sw::CONDITIONS)
}

impl VirtualChip {
    /// MSE:Set AT for PACE (C1A4, unprotected); MSE:Set KAT (41A6) and MSE:Set AT (41A4) for
    /// Chip Authentication (protected).
    pub(super) fn manage_security_environment(
        &mut self,
        cmd: &Command,
        protected: bool,
    ) -> Response {
        match (cmd.p1, cmd.p2, protected) {
            (0xC1, 0xA4, false) => {
                let Some(pace) = self.pace.as_mut() else {
                    return Response::sw(sw::CONDITIONS);
                };
                match pace.mse_set_at(&cmd.data) {
                    Ok(()) => Response::sw(sw::OK),
                    Err(status) => Response::sw(status),
                }
            }
            (0x41, 0xA6, true) => match self.ca.as_ref().map(|ca| ca.set_kat(&cmd.data)) {
                Some(Ok(sm)) => {
                    // A new Chip Authentication ends what an earlier Terminal Authentication
                    // granted (TR-03110-1 clause 3.5).
                    self.drop_terminal_rights();
                    self.state.chip_authenticated = true;
                    self.state.next_sm = Some(sm);
                    Response::sw(sw::OK)
                }
                Some(Err(e)) => Response::sw(status_of(&e)),
                None => Response::sw(sw::CONDITIONS),
            },
            (0x41, 0xA4, true) => match self.ca.as_mut().map(|ca| ca.set_at(&cmd.data)) {
                Some(Ok(())) => {
                    self.drop_terminal_rights();
                    self.state.chip_authenticated = false;
                    Response::sw(sw::OK)
                }
                Some(Err(e)) => Response::sw(status_of(&e)),
                None => Response::sw(sw::CONDITIONS),
            },
            (0x81, 0xB6, true) => self.ta_step(|ta| ta.set_dst(&cmd.data)),
            (0x81, 0xA4, true) => self.ta_step(|ta| ta.set_at(&cmd.data)),
            (0xC1, 0xA4, true) | (0x41 | 0x81, _, false) => Response::sw(sw::CONDITIONS),
            _ => Response::sw(sw::WRONG_P1P2),
        }
    }

    /// GENERAL AUTHENTICATE: unprotected it is a PACE step (the last one opens the session);
    /// protected it is Chip Authentication after MSE:Set AT.
    pub(super) fn general_authenticate(&mut self, cmd: &Command, protected: bool) -> Response {
        if protected {
            return match self
                .ca
                .as_mut()
                .map(|ca| ca.general_authenticate(&cmd.data))
            {
                Some(Ok((data, sm))) => {
                    self.state.chip_authenticated = true;
                    self.state.next_sm = Some(sm);
                    Response::new(data, sw::OK)
                }
                Some(Err(e)) => Response::sw(status_of(&e)),
                None => Response::sw(sw::CONDITIONS),
            };
        }
        let Some(pace) = self.pace.as_mut() else {
            return Response::sw(sw::CONDITIONS);
        };
        match pace.general_authenticate(cmd) {
            Ok((data, sm)) => {
                if let Some(sm) = sm {
                    self.state.sm = Some(sm);
                    // PACE-CAM authenticates the chip as Chip Authentication does (9303-11
                    // clause 4.4.3.5): its answer carries the encrypted chip data (DO 8A).
                    self.state.chip_authenticated = carries_cam_data(&data);
                    self.authentication_outcome(true);
                }
                Response::new(data, sw::OK)
            }
            Err(status) => {
                pace.reset();
                if status == 0x6300 {
                    self.authentication_outcome(false);
                }
                Response::sw(status)
            }
        }
    }

    /// INTERNAL AUTHENTICATE (Active Authentication): signs the terminal's challenge. Only
    /// under secure messaging, as after BAC or PACE.
    pub(super) fn internal_authenticate(&mut self, cmd: &Command, protected: bool) -> Response {
        let Some(aa) = self.aa.as_ref().filter(|_| protected) else {
            return Response::sw(if protected {
                sw::INS_NOT_SUPPORTED
            } else {
                sw::SECURITY_STATUS
            });
        };
        if cmd.data.len() != 8 {
            return Response::sw(sw::WRONG_LENGTH);
        }
        match aa.internal_authenticate(&cmd.data) {
            Ok(sig) => Response::new(sig, sw::OK),
            Err(_) => Response::sw(sw::UNKNOWN),
        }
    }
}

/// The last PACE answer carries PACE-CAM's encrypted chip authentication data.
fn carries_cam_data(data: &[u8]) -> bool {
    crate::tlv::Tlv::parse_tagged(data, 0x7C)
        .ok()
        .and_then(|t| t.child(0x8A).ok().flatten())
        .is_some()
}

impl VirtualChip {
    /// Whether Terminal Authentication may run now: only after Chip Authentication (or
    /// PACE-CAM) in this session, and once per session (BSI TR-03110-1 clause 3.5).
    fn terminal_authentication_allowed(&self) -> Result<(), u16> {
        if !self.state.chip_authenticated || self.state.ta_done {
            return Err(sw::CONDITIONS);
        }
        Ok(())
    }

    fn ta_step(
        &mut self,
        step: impl FnOnce(&mut crate::access::ta::TaChip) -> Result<(), u16>,
    ) -> Response {
        if self.ta.is_some()
            && let Err(status) = self.terminal_authentication_allowed()
        {
            return Response::sw(status);
        }
        match self.ta.as_mut().map(step) {
            Some(Ok(())) => Response::sw(sw::OK),
            Some(Err(status)) => Response::sw(status),
            None => Response::sw(sw::CONDITIONS),
        }
    }

    /// PSO:Verify Certificate (P1P2 00BE), Terminal Authentication, protected only.
    pub(super) fn verify_certificate(&mut self, cmd: &Command, protected: bool) -> Response {
        if !protected || (cmd.p1, cmd.p2) != (0x00, 0xBE) {
            return Response::sw(if protected {
                sw::WRONG_P1P2
            } else {
                sw::CONDITIONS
            });
        }
        self.ta_step(|ta| ta.verify_certificate(&cmd.data))
    }

    /// EXTERNAL AUTHENTICATE under secure messaging: the last step of Terminal Authentication.
    pub(super) fn terminal_authenticate(&mut self, cmd: &Command) -> Response {
        let id = self.id_picc.clone();
        if let Err(status) = self.terminal_authentication_allowed() {
            return Response::sw(status);
        }
        let Some(ta) = self.ta.as_mut() else {
            return Response::sw(sw::CONDITIONS);
        };
        match ta.external_authenticate(&cmd.data, &id) {
            Ok(rights) => {
                self.state.ta_done = true;
                self.state.rights = Some(rights);
                Response::sw(sw::OK)
            }
            Err(status) => Response::sw(status),
        }
    }
}
