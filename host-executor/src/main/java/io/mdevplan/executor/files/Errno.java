package io.mdevplan.executor.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The errno values a sysfs or definition write can end with, each with the text glibc's strerror gives for it on
 * Linux. Java hands a failed write(2) over as an IOException carrying only that text, so the text is how the errno
 * is recovered.
 */
public enum Errno {
    EPERM("Operation not permitted"),
    ENOENT("No such file or directory"),
    EIO("Input/output error"),
    ENXIO("No such device or address"),
    E2BIG("Argument list too long"),
    EAGAIN("Resource temporarily unavailable"),
    ENOMEM("Cannot allocate memory"),
    EACCES("Permission denied"),
    EBUSY("Device or resource busy"),
    EEXIST("File exists"),
    ENODEV("No such device"),
    ENOTDIR("Not a directory"),
    EISDIR("Is a directory"),
    EINVAL("Invalid argument"),
    ENOSPC("No space left on device"),
    EROFS("Read-only file system"),
    ERANGE("Numerical result out of range"),
    ENOTEMPTY("Directory not empty"),
    EUSERS("Too many users"),
    EOPNOTSUPP("Operation not supported"),
    EADDRINUSE("Address already in use"),
    EDQUOT("Disk quota exceeded"),
    /** A failure whose text names no errno Java could recognise; the message keeps the original text. */
    UNKNOWN("Unknown error");

    private final String strerror;

    Errno(String strerror) {
        this.strerror = strerror;
    }

    /** The kernel's message for this errno, as strerror(3) prints it. */
    public String strerror() {
        return strerror;
    }

    /** The errno whose strerror text is {@code text}, or UNKNOWN. */
    public static Errno ofStrerror(String text) {
        if (text != null) {
            for (var errno : values()) {
                if (errno != UNKNOWN && errno.strerror.equals(text.strip())) {
                    return errno;
                }
            }
        }
        return UNKNOWN;
    }

    /** The errno behind an IOException from java.nio: the exception's type where it has one, else its text. */
    public static Errno of(IOException failure) {
        if (failure instanceof NoSuchFileException) {
            return ENOENT;
        }
        if (failure instanceof AccessDeniedException) {
            return EACCES;
        }
        if (failure instanceof FileAlreadyExistsException) {
            return EEXIST;
        }
        if (failure instanceof NotDirectoryException) {
            return ENOTDIR;
        }
        if (failure instanceof DirectoryNotEmptyException) {
            return ENOTEMPTY;
        }
        if (failure instanceof FileSystemException fileSystemFailure) {
            return ofStrerror(fileSystemFailure.getReason());
        }
        return ofStrerror(failure.getMessage());
    }

    /** The text the kernel (through Java) gave for the failure, or this errno's strerror where Java gave none. */
    public static String kernelMessage(IOException failure) {
        var text = failure instanceof FileSystemException fileSystemFailure
                ? fileSystemFailure.getReason()
                : failure.getMessage();
        return text == null || text.isBlank() ? of(failure).strerror() : text.strip();
    }
}
