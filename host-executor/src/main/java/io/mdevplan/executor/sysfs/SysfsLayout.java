package io.mdevplan.executor.sysfs;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where the kernel's mdev files and mdevctl's definitions live, all derived from one root ("/" on a host, a
 * temporary directory in tests, like mdevctl's MDEVCTL_ENV_ROOT). Every name that becomes a path component is
 * checked first, because parent addresses, type ids and UUIDs arrive from plans and documents, and a crafted
 * name must never make the executor write outside sysfs or /etc/mdevctl.d.
 */
public final class SysfsLayout {

    /** NAME_MAX of Linux file systems. */
    private static final int MAX_NAME_LENGTH = 255;
    private static final int MAX_SHOWN = 64;
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Path root;

    public SysfsLayout(Path root) {
        if (root == null) {
            throw new IllegalArgumentException("The sysfs root is null. Maybe pass Path.of(\"/\") for the real host.");
        }
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** {@code sys/class/mdev_bus}: one entry per registered parent device. */
    public Path mdevBus() {
        return root.resolve("sys/class/mdev_bus");
    }

    public Path parent(String address) {
        return under(mdevBus().resolve(requireName("parent address", address)));
    }

    /** The link to the driver bound to the parent (e.g. .../drivers/i915); sample parents such as mtty have none. */
    public Path parentDriver(String address) {
        return parent(address).resolve("driver");
    }

    /** The directory holding one directory per type the parent offers. */
    public Path supportedTypes(String address) {
        return parent(address).resolve("mdev_supported_types");
    }

    public Path typeDir(String address, String typeId) {
        return under(supportedTypes(address).resolve(requireName("type id", typeId)));
    }

    /** Writing a UUID here creates a device of the type. */
    public Path createFile(String address, String typeId) {
        return typeDir(address, typeId).resolve("create");
    }

    /** A file of the type directory, e.g. available_instances or aggregation. */
    public Path typeFile(String address, String typeId, String fileName) {
        return under(typeDir(address, typeId).resolve(requireName("type file", fileName)));
    }

    /** The link the type directory's devices/ holds for each device of that type on that parent. */
    public Path typeDevice(String address, String typeId, String uuid) {
        return under(typeDir(address, typeId).resolve("devices").resolve(requireUuid(uuid)));
    }

    /** {@code sys/bus/mdev/devices}: one entry per existing mdev device, named by its UUID. */
    public Path mdevDevices() {
        return root.resolve("sys/bus/mdev/devices");
    }

    public Path device(String uuid) {
        return under(mdevDevices().resolve(requireUuid(uuid)));
    }

    /** Writing "1" here removes the device. */
    public Path removeFile(String uuid) {
        return device(uuid).resolve("remove");
    }

    /**
     * A file of the device, named relative to the device directory as mdevctl and libvirt name attributes
     * ({@code mdev/aggregation}, {@code assign_adapter}); every part between the '/' is checked as a name.
     */
    public Path deviceFile(String uuid, String relativeName) {
        var device = device(uuid);
        if (relativeName == null || relativeName.startsWith("/") || relativeName.endsWith("/")) {
            throw new IllegalArgumentException("The device attribute " + quoted(relativeName) + " is missing or starts"
                    + " or ends with '/'. Maybe name it relative to the device directory, e.g. mdev/aggregation.");
        }
        for (var part : relativeName.split("/", -1)) {
            requireName("part of the device attribute " + quoted(relativeName) + ",", part);
        }
        return under(device.resolve(relativeName));
    }

    /** {@code etc/hostname}: the name the host answers to, compared with a plan's host. */
    public Path hostnameFile() {
        return root.resolve("etc/hostname");
    }

    /** {@code etc/mdevctl.d}: mdevctl's persistent definitions, one directory per parent. */
    public Path mdevctlDefinitions() {
        return root.resolve("etc/mdevctl.d");
    }

    public Path definition(String parentAddress, String uuid) {
        var parentDir = mdevctlDefinitions().resolve(requireName("parent address", parentAddress));
        return under(parentDir.resolve(requireUuid(uuid)));
    }

    /** Checks a name that becomes one path component; returns it unchanged. */
    private static String requireName(String what, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("The " + what + " " + quoted(name) + " is missing or blank."
                    + " Maybe the document or plan left it out.");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("The " + what + " " + quoted(name) + " is longer than "
                    + MAX_NAME_LENGTH + " characters, which no file name may be. Maybe it was pasted twice.");
        }
        if (name.contains("/")) {
            throw new IllegalArgumentException("The " + what + " " + quoted(name) + " contains '/', but must be one"
                    + " path component. Maybe pass only the last part, e.g. 0000:00:02.0 or mtty-2.");
        }
        if (name.equals(".") || name.contains("..")) {
            throw new IllegalArgumentException("The " + what + " " + quoted(name) + " is '.' or contains '..', which"
                    + " could leave its directory. Maybe the name was built from untrusted input.");
        }
        for (var i = 0; i < name.length(); i++) {
            var c = name.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw new IllegalArgumentException("The " + what + " " + quoted(name)
                        + " contains a control or white-space character at offset " + i
                        + ". Maybe a trailing newline was read from a file and not trimmed.");
            }
            // the kernel's parents, types and attributes are named in ASCII; anything else is a look-alike
            // pasted in, or a character the file system's encoding cannot hold
            if (c > '~') {
                throw new IllegalArgumentException("The " + what + " " + quoted(name) + " contains the character U+"
                        + String.format("%04X", (int) c) + " at offset " + i + ", which is not printable ASCII as"
                        + " the kernel's names are. Maybe a look-alike character was pasted in its place.");
            }
        }
        return name;
    }

    /** Whether {@code uuid} has the 8-4-4-4-12 form the mdev core accepts (either case). */
    public static boolean isUuid(String uuid) {
        return uuid != null && UUID.matcher(uuid).matches();
    }

    private static String requireUuid(String uuid) {
        if (!isUuid(uuid)) {
            throw new IllegalArgumentException("The device UUID " + quoted(uuid) + " is not 8-4-4-4-12 hexadecimal"
                    + " digits. Maybe generate one with UUID.randomUUID().");
        }
        return uuid;
    }

    /** The value in quotes, as {@link #shown} shows it. */
    private static String quoted(String value) {
        return "\"" + shown(value) + "\"";
    }

    /**
     * A value from a plan or document as a message shows it: control characters as '?', so that the message stays
     * one readable line, and no more than its first 64 characters, so that a megabyte value does not bury the rest.
     */
    public static String shown(String value) {
        if (value == null) {
            return "null";
        }
        var printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= MAX_SHOWN ? printable
                : printable.substring(0, MAX_SHOWN) + "... (" + value.length() + " characters)";
    }

    /** The last guard: whatever the checks above let through, a derived path never leaves the root. */
    private Path under(Path path) {
        var normalized = path.normalize();
        if (!normalized.startsWith(root)) {
            throw new IllegalArgumentException("The path " + normalized + " is outside the sysfs root " + root
                    + ". Maybe a name contains a path separator of another form.");
        }
        return normalized;
    }
}
