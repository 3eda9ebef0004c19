package dev.streamtune.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Grafana's provisioning: the datasource points at a compose service, the dashboard provider's folder is where
 * compose mounts the dashboard JSON, and every datasource the dashboards use is one that is provisioned.
 */
public final class GrafanaCheck {

    private static final String PROVISIONING = "/etc/grafana/provisioning";
    private static final Pattern VARIABLE = Pattern.compile("^\\$\\{?([A-Za-z0-9_]+)}?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A provisioned datasource. */
    public record Datasource(String name, String uid, String type) {
    }

    private GrafanaCheck() {
    }

    /**
     * @param grafanaService the compose service running Grafana
     * @param context        the directory compose bind mounts are relative to
     */
    /** A compose variable that must be set: {@code ${NAME:?message}} or {@code ${NAME?message}}. */
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*:?\\?[^}]*}");

    /**
     * Without GF_SECURITY_ADMIN_PASSWORD (or its __FILE variant) Grafana's admin password is "admin"; a literal
     * in the file, or a placeholder with a default, publishes one just as well. It must come from a variable that
     * compose refuses to run without.
     */
    static void checkAdminPassword(Map<String, String> environment, String where, Problems problems) {
        if (environment.containsKey("GF_SECURITY_ADMIN_PASSWORD__FILE")) {
            return;
        }
        String password = environment.get("GF_SECURITY_ADMIN_PASSWORD");
        if (password == null) {
            problems.add(where + ".environment", "no GF_SECURITY_ADMIN_PASSWORD: Grafana's admin password would "
                    + "be its default, admin");
        } else if (!REQUIRED_VARIABLE.matcher(password.strip()).matches()) {
            problems.add(where + ".environment.GF_SECURITY_ADMIN_PASSWORD", "is " + password + ": a password "
                    + "written in the file or a default is public; use ${VARIABLE:?message}");
        }
    }

    public static Problems check(ComposeFile compose, String grafanaService, Path context) {
        Problems problems = new Problems();
        String where = compose.source() + ": services." + grafanaService;
        if (!compose.services().containsKey(grafanaService)) {
            problems.add(compose.source(), "no " + grafanaService + " service");
            return problems;
        }
        checkAdminPassword(compose.environment(grafanaService), where, problems);
        List<ComposeFile.Mount> mounts = compose.mounts(grafanaService).stream().filter(ComposeFile.Mount::bind)
                .toList();
        Path provisioning = mounts.stream().filter(m -> m.target().equals(PROVISIONING)).findFirst()
                .map(m -> context.resolve(m.source())).orElse(null);
        if (provisioning == null || !Files.isDirectory(provisioning)) {
            problems.add(where + ".volumes", "no provisioning folder mounted at " + PROVISIONING);
            return problems;
        }

        List<Datasource> datasources = new ArrayList<>();
        for (Path file : yamlFiles(provisioning.resolve("datasources"))) {
            Map<String, Object> document = YamlNodes.document(file);
            for (Object item : YamlNodes.list(document.get("datasources"))) {
                Map<String, Object> datasource = YamlNodes.map(item);
                datasources.add(new Datasource(YamlNodes.text(datasource.get("name")),
                        YamlNodes.text(datasource.get("uid")), YamlNodes.text(datasource.get("type"))));
                String url = YamlNodes.text(datasource.get("url"));
                if (url != null) {
                    Matcher host = Pattern.compile("^https?://([^:/]+)").matcher(url);
                    if (host.find() && !compose.hostnames().containsKey(host.group(1))) {
                        problems.add(file + ": datasources." + datasource.get("name") + ".url",
                                host.group(1) + " is not a compose service");
                    }
                }
            }
        }
        if (datasources.isEmpty()) {
            problems.add(provisioning.resolve("datasources").toString(), "provisions no datasource");
        }

        Map<Path, String> dashboards = new LinkedHashMap<>();
        for (Path file : yamlFiles(provisioning.resolve("dashboards"))) {
            Map<String, Object> document = YamlNodes.document(file);
            for (Object item : YamlNodes.list(document.get("providers"))) {
                Map<String, Object> provider = YamlNodes.map(item);
                String path = YamlNodes.text(YamlNodes.at(provider, "options.path"));
                String label = file + ": providers." + provider.get("name") + ".options.path";
                List<Path> found = dashboardsAt(path, mounts, context);
                if (found.isEmpty()) {
                    problems.add(label, path + " holds no dashboard JSON mounted by " + where);
                }
                found.forEach(dashboard -> dashboards.put(dashboard, label));
            }
        }
        for (Path dashboard : dashboards.keySet()) {
            problems.addAll(checkDashboard(dashboard, datasources));
        }
        return problems;
    }

    /** The JSON files compose mounts into a provider folder: a folder mounted there, or files mounted inside it. */
    private static List<Path> dashboardsAt(String folder, List<ComposeFile.Mount> mounts, Path context) {
        List<Path> files = new ArrayList<>();
        if (folder == null) {
            return files;
        }
        for (ComposeFile.Mount mount : mounts) {
            Path source = context.resolve(mount.source());
            if (mount.target().equals(folder) && Files.isDirectory(source)) {
                try (Stream<Path> walk = Files.walk(source)) {
                    walk.filter(p -> p.toString().endsWith(".json")).forEach(files::add);
                } catch (IOException e) {
                    throw new IllegalStateException("Cannot list " + source, e);
                }
            } else if (Path.of(mount.target()).getParent() != null
                    && Path.of(mount.target()).getParent().toString().equals(folder)
                    && mount.target().endsWith(".json") && Files.isRegularFile(source)) {
                files.add(source);
            }
        }
        return files;
    }

    /** Every datasource reference of a dashboard resolves to a provisioned datasource. */
    public static Problems checkDashboard(Path dashboard, List<Datasource> datasources) {
        try {
            return checkDashboard(JSON.readTree(dashboard.toFile()), dashboard.toString(), datasources);
        } catch (IOException e) {
            Problems problems = new Problems();
            problems.add(dashboard.toString(), "is not valid JSON: " + e.getMessage());
            return problems;
        }
    }

    public static Problems checkDashboard(JsonNode dashboard, String file, List<Datasource> datasources) {
        Problems problems = new Problems();
        Map<String, String> datasourceVariables = new LinkedHashMap<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("datasource")) {
                String type = variable.path("query").asText();
                datasourceVariables.put(variable.path("name").asText(), type);
                if (datasources.stream().noneMatch(d -> type.equals(d.type()))) {
                    problems.add(file + ": templating." + variable.path("name").asText(),
                            "picks a datasource of type " + type + " but none is provisioned");
                }
            }
        }
        List<String[]> references = new ArrayList<>();
        collectReferences(dashboard, "", references);
        if (references.isEmpty()) {
            problems.add(file, "no panel names a datasource");
        }
        for (String[] reference : references) {
            String path = reference[0];
            String value = reference[1];
            Matcher variable = VARIABLE.matcher(value);
            if (variable.matches()) {
                if (!datasourceVariables.containsKey(variable.group(1))) {
                    problems.add(file + ": " + path, value + " is neither a datasource variable of the dashboard"
                            + " nor resolved by file provisioning (an import-only __inputs name?)");
                }
            } else if (datasources.stream().noneMatch(d -> value.equals(d.uid()) || value.equals(d.name()))) {
                problems.add(file + ": " + path, "datasource " + value + " is not provisioned " + datasources);
            }
        }
        return problems;
    }

    private static void collectReferences(JsonNode node, String path, List<String[]> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String here = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getKey().equals("datasource")) {
                    JsonNode reference = field.getValue();
                    if (reference.isTextual()) {
                        into.add(new String[] {here, reference.asText()});
                    } else if (reference.has("uid")) {
                        into.add(new String[] {here + ".uid", reference.get("uid").asText()});
                    }
                } else {
                    collectReferences(field.getValue(), here, into);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectReferences(node.get(i), path + "[" + i + "]", into);
            }
        }
    }

    private static List<Path> yamlFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list " + folder, e);
        }
    }
}
