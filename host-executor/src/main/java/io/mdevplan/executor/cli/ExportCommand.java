package io.mdevplan.executor.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;

import io.mdevplan.executor.files.SysfsFiles;
import io.mdevplan.executor.libvirt.NodeDeviceReader;
import io.mdevplan.executor.libvirt.NodeDeviceXml;
import io.mdevplan.executor.sysfs.SysfsLayout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code export --libvirt UUID [--root DIR]}: prints an existing device as libvirt's node-device XML. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Print an existing mediated device as libvirt's node-device XML (what virsh nodedev-define"
                + " takes), with the attributes of its mdevctl definition.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:printed", "1:an internal error, e.g. a tree not shaped as sysfs",
            "2:bad input: no UUID, or no such device"})
final class ExportCommand implements Callable<Integer> {

    private final Function<Path, SysfsFiles> filesForRoot;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--libvirt", paramLabel = "UUID", required = true,
            description = "The device to print as libvirt's node-device XML.")
    private String uuid;

    @CommandLine.Mixin
    private RootOption root;

    ExportCommand(Function<Path, SysfsFiles> filesForRoot) {
        this.filesForRoot = filesForRoot;
    }

    @Override
    public Integer call() {
        var files = root.files(filesForRoot);
        if (!SysfsLayout.isUuid(uuid)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "The --libvirt \""
                    + uuid.replaceAll("\\p{Cntrl}", "?") + "\" is no UUID (8-4-4-4-12 hexadecimal digits). Maybe"
                    + " copy it from mdevctl list.");
        }
        var layout = root.layout();
        var found = new NodeDeviceReader(layout, files).read(uuid).orElseThrow(() ->
                new CommandLine.ParameterException(spec.commandLine(), "No mediated device " + uuid + " exists under "
                        + layout.mdevDevices() + ". Maybe it was removed, or it is only defined: mdevctl list"
                        + " --defined lists those."));
        if (found.caveat() != null) {
            spec.commandLine().getErr().println("mdevplan-executor: " + found.caveat());
        }
        spec.commandLine().getOut().print(NodeDeviceXml.format(found.device()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
