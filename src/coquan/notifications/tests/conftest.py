from coquan.documents.tests.conftest import _reference_data, office  # noqa: F401
