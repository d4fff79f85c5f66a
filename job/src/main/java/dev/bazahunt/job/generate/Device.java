package dev.bazahunt.job.generate;

import java.util.SplittableRandom;

/** A machine of the generated fleet and the user logged on to it. */
record Device(String deviceId, String deviceName, String machineGroup, String userName, String userSid) {
    private static final String[] GROUPS = {"Workstations", "Finance laptops", "Sales laptops", "Servers"};
    private static final String[] FIRST = {"j", "k", "m", "a", "s", "t", "r", "l"};
    private static final String[] LAST = {"doe", "lee", "hollis", "garcia", "nguyen", "smith", "okafor", "berg"};

    static Device random(int index, SplittableRandom random) {
        String user = FIRST[random.nextInt(FIRST.length)] + "." + LAST[random.nextInt(LAST.length)];
        return new Device(Hex.of(random, 40), String.format("wks-%05d.contoso.local", index),
                GROUPS[random.nextInt(GROUPS.length)], user,
                "S-1-5-21-1004336348-1177238915-682003330-" + (1100 + random.nextInt(9000)));
    }
}
