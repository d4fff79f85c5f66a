package dev.bazahunt.job.generate;

/** A running process as Defender describes it: image, id, creation time, command line. */
record ProcessImage(String fileName, String folder, long processId, long createdNanos, String commandLine,
        String originalFileName) {

    String path() {
        return folder + "\\" + fileName;
    }
}
