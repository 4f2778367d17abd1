package io.mdevplan.executor.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;

import io.mdevplan.executor.files.SysfsFiles;
import io.mdevplan.executor.inventory.HostInventory;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.SysfsNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code inventory [--root DIR] [--host NAME]}: prints this host in the fleet document's host shape. */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = "Print this host as the fleet document describes one (parents, pools, types, devices), the body"
                + " PUT /api/v1/hosts/{name}/inventory takes.")
final class InventoryCommand implements Callable<Integer> {

    private final Function<Path, SysfsFiles> filesForRoot;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private RootOption root;

    @Option(names = "--host", paramLabel = "NAME",
            description = "The host's name in the output (default: the root's etc/hostname).")
    private String host;

    InventoryCommand(Function<Path, SysfsFiles> filesForRoot) {
        this.filesForRoot = filesForRoot;
    }

    @Override
    public Integer call() {
        var files = root.files(filesForRoot);
        var layout = root.layout();
        var inventory = new HostInventory(layout, files);
        var name = host != null ? host : inventory.hostName().orElseThrow(() -> new CommandLine.ParameterException(
                spec.commandLine(), "This host has no name in " + layout.hostnameFile() + ". Maybe pass --host NAME,"
                        + " or check --root."));
        var unsafe = SysfsNames.whyUnsafe(name);
        if (unsafe.isPresent()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "The host name \"" + name + "\" "
                    + unsafe.get() + ". Maybe pass --host with the name the service knows this host by.");
        }
        spec.commandLine().getOut().println(FleetJson.toJson(inventory.read(name)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
