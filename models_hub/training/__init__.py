"""Training the triage models: the label classifier (labels.py, finetune.py), which issues and
labels it learns from (vocabulary.py), retraining a repository's classifier (retrain.py), and the
one evaluation path shared by training, benchmarks and production (evaluation.py)."""
