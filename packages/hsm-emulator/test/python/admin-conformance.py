"""Drives the emulator with Debian's python3-azure clients and reports what it observed.

Reads its configuration (HSM URL, CA file, bearer tokens, backup container) as JSON on standard
input and prints one JSON document of observations; python.test.ts asserts on them. The script
asserts nothing itself, so an unexpected answer is always visible in the test's diff.
"""

import hashlib
import json
import sys
import time

from azure.core.credentials import AccessToken
from azure.core.exceptions import HttpResponseError
from azure.keyvault.administration import (
    KeyVaultAccessControlClient,
    KeyVaultBackupClient,
    KeyVaultDataAction,
    KeyVaultPermission,
    KeyVaultRoleScope,
    KeyVaultSettingsClient,
)
from azure.keyvault.keys import KeyClient
from azure.keyvault.keys.crypto import CryptographyClient, SignatureAlgorithm


class StaticTokenCredential:
    """A token obtained by the test through MSAL from the local identity provider."""

    def __init__(self, token):
        self._token = token

    def get_token(self, *scopes, **kwargs):
        return AccessToken(self._token, int(time.time()) + 1800)


config = json.load(sys.stdin)
client_options = {
    "connection_verify": config["caFile"],
    # The challenge names the emulator's host, not *.managedhsm.azure.net.
    "verify_challenge_resource": False,
}
url = config["hsmUrl"]
credentials = {name: StaticTokenCredential(token) for name, token in config["tokens"].items()}
observations = {}


def failure(error):
    return {"status": error.status_code, "code": error.error.code if error.error else None, "message": error.message}


def attempt(action):
    try:
        return {"ok": True, "value": action()}
    except HttpResponseError as error:
        return {"ok": False, **failure(error)}


def access(who="tool"):
    return KeyVaultAccessControlClient(url, credentials[who], **client_options)


def keys(who="tool"):
    return KeyClient(url, credentials[who], **client_options)


def guid_of(definition_id):
    return definition_id.rsplit("/", 1)[-1]


# Role definitions: the built-in ones, with their GUIDs and data actions.
definitions = list(access().list_role_definitions(KeyVaultRoleScope.GLOBAL))
observations["roleDefinitions"] = [
    {
        "name": d.name,
        "roleName": d.role_name,
        "roleType": d.role_type,
        "dataActions": sorted(a for p in d.permissions for a in p.data_actions),
        "notDataActions": sorted(a for p in d.permissions for a in p.not_data_actions),
    }
    for d in definitions
]
by_name = {d.role_name: d for d in definitions}
principals = config["principals"]

# Assignments at each scope, then listed back per scope.
assignments = [
    (KeyVaultRoleScope.GLOBAL, "Managed HSM Crypto Officer", principals["tool"]),
    (KeyVaultRoleScope.GLOBAL, "Managed HSM Crypto User", principals["tool"]),
    (KeyVaultRoleScope.GLOBAL, "Managed HSM Crypto Auditor", principals["auditor"]),
    (KeyVaultRoleScope.KEYS, "Managed HSM Crypto Service Encryption User", principals["keyUser"]),
    ("/keys/payments-signing", "Managed HSM Crypto User", principals["keyUser"]),
]
observations["created"] = [
    {
        "scope": a.properties.scope,
        "roleDefinition": guid_of(a.properties.role_definition_id),
        "principalId": a.properties.principal_id,
    }
    for a in (access().create_role_assignment(scope, by_name[role].id, principal) for scope, role, principal in assignments)
]
observations["listed"] = {
    scope: sorted(
        [guid_of(a.properties.role_definition_id), a.properties.principal_id, a.properties.scope]
        for a in access().list_role_assignments(scope)
    )
    for scope in ["/", "/keys", "/keys/payments-signing"]
}

# Enforcement through the keys client.
for name in ["payments-signing", "ledger-signing"]:
    keys().create_rsa_key(name, size=2048)
observations["auditorCreatesKey"] = attempt(lambda: keys("auditor").create_rsa_key("auditor-key").name)
observations["auditorReadsKey"] = attempt(lambda: keys("auditor").get_key("payments-signing").name)
digest = hashlib.sha256(b"pay 100 EUR to Contoso").digest()


def sign_as_key_user(key_name):
    key_id = keys().get_key(key_name).id
    signed = CryptographyClient(key_id, credentials["keyUser"], **client_options).sign(SignatureAlgorithm.rs256, digest)
    verified = CryptographyClient(key_id, credentials["tool"], **client_options).verify(
        SignatureAlgorithm.rs256, digest, signed.signature
    )
    return verified.is_valid


observations["keyUserSignsOwnKey"] = attempt(lambda: sign_as_key_user("payments-signing"))
observations["keyUserSignsOtherKey"] = attempt(lambda: sign_as_key_user("ledger-signing"))
observations["keyUserAssignsRole"] = attempt(
    lambda: access("keyUser").create_role_assignment("/", by_name["Managed HSM Administrator"].id, principals["keyUser"]).name
)

# A custom role definition: create, read back, delete.
custom = access().set_role_definition(
    KeyVaultRoleScope.GLOBAL,
    role_name="Key Reader (custom)",
    description="Reads key metadata only",
    permissions=[KeyVaultPermission(data_actions=[KeyVaultDataAction.READ_HSM_KEY])],
)
read_back = access().get_role_definition(KeyVaultRoleScope.GLOBAL, custom.name)
access().delete_role_definition(KeyVaultRoleScope.GLOBAL, custom.name)
observations["customRole"] = {
    "roleName": read_back.role_name,
    "roleType": read_back.role_type,
    "dataActions": [a for p in read_back.permissions for a in p.data_actions],
    "afterDelete": attempt(lambda: access().get_role_definition(KeyVaultRoleScope.GLOBAL, custom.name).name),
}

# Settings.
settings = KeyVaultSettingsClient(url, credentials["tool"], **client_options)
listed_settings = list(settings.list_settings())
observations["settings"] = [{"name": s.name, "value": s.value, "type": str(s.type.value)} for s in listed_settings]
observations["setting"] = attempt(lambda: settings.get_setting(listed_settings[0].name).value)

# Full backup into Azurite, selective restore of a purged key, then a full restore.
backup = KeyVaultBackupClient(url, credentials["tool"], **client_options)
folder_url = backup.begin_backup(config["containerUrl"], config["sasToken"]).result().folder_url
observations["backupFolder"] = folder_url
keys().begin_delete_key("ledger-signing").result()
keys().purge_deleted_key("ledger-signing")
observations["afterPurge"] = attempt(lambda: keys().get_key("ledger-signing").name)
backup.begin_restore(folder_url, config["sasToken"], key_name="ledger-signing").result()
observations["afterSelectiveRestore"] = attempt(lambda: keys().get_key("ledger-signing").name)
backup.begin_restore(folder_url, config["sasToken"]).result()
observations["afterFullRestore"] = sorted(k.name for k in keys().list_properties_of_keys())
observations["backupToMissingContainer"] = attempt(
    lambda: backup.begin_backup(config["missingContainerUrl"], config["sasToken"]).result().folder_url
)

json.dump(observations, sys.stdout)
