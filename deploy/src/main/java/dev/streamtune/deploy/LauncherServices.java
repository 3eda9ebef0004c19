package dev.streamtune.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The services as the local run command starts them (launcher's Streamtune.SERVICES): name, main class, port
 * and heap. The image and the launcher should run the same thing.
 */
public final class LauncherServices {

    /** One {@code new ServiceProcess.Service(name, module, mainClass, port, heap)}. */
    public record Service(String name, String module, String mainClass, int port, String heap) {
    }

    private static final Pattern SERVICE = Pattern.compile("new\\s+ServiceProcess\\.Service\\("
            + "\\s*\"(\\w+)\",\\s*\"([\\w-]+)\",\\s*\"([\\w.]+)\",\\s*(\\d+),\\s*\"(\\w+)\"\\s*\\)");

    private LauncherServices() {
    }

    public static Map<String, Service> parse(String javaSource) {
        Map<String, Service> services = new LinkedHashMap<>();
        Matcher matcher = SERVICE.matcher(javaSource);
        while (matcher.find()) {
            services.put(matcher.group(1), new Service(matcher.group(1), matcher.group(2), matcher.group(3),
                    Integer.parseInt(matcher.group(4)), matcher.group(5)));
        }
        return services;
    }
}
