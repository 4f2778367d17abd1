package io.mdevplan.executor.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.mdevplan.executor.files.SysfsFiles;
import io.mdevplan.executor.sysfs.SysfsInventoryReader;
import io.mdevplan.executor.sysfs.SysfsLayout;
import io.mdevplan.executor.sysfs.SysfsParent;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code inventory [--root DIR]}: prints the parents and types sysfs shows, as JSON. */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = "Print the mdev parents of this host and the types they offer, as JSON.")
final class InventoryCommand implements Callable<Integer> {

    /** What the command prints: an object, so later fields (host name, devices) do not break readers. */
    record Inventory(List<SysfsParent> parents) {
    }

    private final Function<Path, SysfsFiles> filesForRoot;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/",
            description = "Directory that holds sys/ and etc/ (default: ${DEFAULT-VALUE});"
                    + " a copy of a host's tree in tests.")
    private Path root;

    InventoryCommand(Function<Path, SysfsFiles> filesForRoot) {
        this.filesForRoot = filesForRoot;
    }

    @Override
    public Integer call() throws Exception {
        var files = filesForRoot.apply(root);
        if (!files.isDirectory(root)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "The --root " + root
                    + " is not a directory. Maybe leave --root out to read this host's /sys.");
        }
        var inventory = new Inventory(new SysfsInventoryReader(new SysfsLayout(root), files).parents());
        var mapper = new ObjectMapper()
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .enable(SerializationFeature.INDENT_OUTPUT);
        spec.commandLine().getOut().println(mapper.writeValueAsString(inventory));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
