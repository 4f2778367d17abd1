package io.mdevplan.executor.files;

import java.nio.file.Path;

/**
 * A write the kernel (or the file system under /etc/mdevctl.d) refused. Checked, because every caller must decide
 * what a refused write means for the device it was making: carry on, or remove it again.
 */
public final class SysfsWriteException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final Errno errno;
    private final String kernelMessage;

    public SysfsWriteException(Path path, String text, Errno errno, String kernelMessage) {
        super("Writing " + quoted(text) + " to " + path + " failed: " + errno + " (" + kernelMessage + ").");
        this.path = path;
        this.errno = errno;
        this.kernelMessage = kernelMessage;
    }

    public Path path() {
        return path;
    }

    public Errno errno() {
        return errno;
    }

    /** What the kernel said, e.g. "No space left on device". */
    public String kernelMessage() {
        return kernelMessage;
    }

    /** The text in quotes, control characters shown as '?' so that a message stays one line; null for deletions. */
    private static String quoted(String text) {
        return text == null ? "(deletion)" : "\"" + text.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
