from coquan.onestop.models.dossiers import (
    Dossier,
    DossierComponent,
    DossierCounter,
    DossierExtension,
    DossierFile,
    DossierStatusChange,
    DossierSupplement,
    DossierTransfer,
)
from coquan.onestop.models.evaluation import DossierRating
from coquan.onestop.models.fees import DossierFee
from coquan.onestop.models.portal import Applicant
from coquan.onestop.models.procedures import Procedure, ProcedureComponent, ProcedureStep
from coquan.onestop.models.sync import PortalOutbox

__all__ = [
    "Applicant",
    "Dossier",
    "DossierComponent",
    "DossierCounter",
    "DossierExtension",
    "DossierFee",
    "DossierFile",
    "DossierRating",
    "DossierStatusChange",
    "DossierSupplement",
    "DossierTransfer",
    "PortalOutbox",
    "Procedure",
    "ProcedureComponent",
    "ProcedureStep",
]
