"""What units and analysts send, read and validated: forms, dossier exports, params, targets, the validation report."""
