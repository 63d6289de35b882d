"""Saving and loading a bundle. Loading checks the file's sha256 first: a missing, unreadable or
altered artifact raises ``ModelArtifactError`` and never falls back to anything else."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import joblib

from .data import file_sha256
from .model import Bundle, ModelArtifactError


def save_bundle(bundle: Bundle, path: Path | str) -> str:
    """Write ``bundle`` to ``path`` (joblib, written to a temporary file then renamed, so a reader
    never sees half a file). Returns the file's sha256 hex digest, to record and check on load."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        joblib.dump(bundle, temporary, compress=3)
        digest = file_sha256(temporary)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; web and worker users must read it
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest


def load_bundle(path: Path | str, expected_sha256: str) -> Bundle:
    """Load the bundle at ``path`` if and only if its sha256 is ``expected_sha256``."""
    path = Path(path)
    if not expected_sha256:
        raise ModelArtifactError(f"no expected sha256 given for {path}: refusing to load unchecked")
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise ModelArtifactError(f"model artifact not found: {path}") from None
    except OSError as exc:
        raise ModelArtifactError(f"model artifact unreadable: {path} ({exc})") from exc
    actual = hashlib.sha256(content).hexdigest()
    if actual != expected_sha256.lower():
        raise ModelArtifactError(
            f"model artifact {path} has sha256 {actual}, expected {expected_sha256}: the file was "
            "changed or replaced; retrain or restore the registered artifact")
    try:
        bundle = joblib.load(path)
    except Exception as exc:  # noqa: BLE001 - any unpickling failure means an unusable artifact
        raise ModelArtifactError(f"model artifact {path} cannot be loaded: {exc}") from exc
    if not isinstance(bundle, Bundle):
        raise ModelArtifactError(f"model artifact {path} holds a {type(bundle).__name__}, "
                                 "not a risk model bundle")
    if not getattr(getattr(bundle, "pricing", None), "cash_flows", None) or not isinstance(
            bundle.calibration, dict):
        raise ModelArtifactError(f"model artifact {path} was trained before pricing from cash "
                                 "flows and the PD calibrated by term: retrain it "
                                 "(manage.py train_risk_model)")
    return bundle
