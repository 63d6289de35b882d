"""Train, save, card and register a model version (the train_risk_model command and seed_demo)."""

from pathlib import Path

from django.conf import settings

from .services import model_version_register


def train_and_register(*, data_path: Path | None = None, seed: int = 42, fast: bool = False,
                       activate: bool = True, artifact_dir: Path | None = None):
    """Returns (bundle, ModelVersion). ``fast`` skips the evaluation (seconds, for demos/tests)."""
    from risk import ml  # scikit-learn loads in seconds: only when a model is used

    data_path = Path(data_path) if data_path else ml.DEFAULT_DATA_PATH
    if not data_path.exists():
        raise FileNotFoundError(f"Training data not found: {data_path}")
    bundle = ml.fit_only(data_path, seed=seed) if fast else ml.train_and_evaluate(data_path,
                                                                                  seed=seed)
    # A folder per training run: retraining never overwrites an artifact another database (or
    # an older registration) still points to.
    stamp = bundle.trained_at.strftime("%Y%m%dT%H%M%S")
    out_dir = Path(artifact_dir or settings.RISK_ARTIFACT_DIR) / f"{bundle.version}-{stamp}"
    out_dir.mkdir(parents=True, exist_ok=True)
    artifact = out_dir / "model.joblib"
    sha = ml.save_bundle(bundle, artifact)
    card = ml.write_model_card(bundle, out_dir)
    version = model_version_register(bundle=bundle, artifact_path=artifact, artifact_sha256=sha,
                                     card_path=card, activate=activate)
    return bundle, version
