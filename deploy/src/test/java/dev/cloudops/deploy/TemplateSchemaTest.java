package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.ValidatorTypeCode;
import dev.cloudops.testing.SharedSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checks template.yaml against the published schemas in testdata/schemas: SAM resources and Globals against
 * the SAM schema, every other resource's Properties against its CloudFormation resource-provider schema.
 */
class TemplateSchemaTest {

    /** Keywords of resource-provider schemas that describe the resource, not the shape of its properties. */
    private static final List<String> PROVIDER_KEYWORDS = List.of("typeName", "tagging", "handlers",
            "primaryIdentifier", "additionalIdentifiers", "readOnlyProperties", "writeOnlyProperties",
            "createOnlyProperties", "conditionalCreateOnlyProperties", "nonPublicProperties",
            "nonPublicDefinitions", "deprecatedProperties", "propertyTransform", "sourceUrl", "documentationUrl",
            "replacementStrategy", "taggable", "insertionOrder", "relationshipRef", "arrayType", "resourceLink",
            "cfnSchema", "uniqueKeys", "dependentExcluded", "requiredXor");

    /** The meta-schema IRIs that some resource-provider schemas declare; read as draft 7 with the keywords above. */
    private static final List<String> PROVIDER_META_SCHEMAS = List.of(
            "https://schema.cloudformation.us-east-1.amazonaws.com/provider.definition.schema.v1.json",
            "https://raw.githubusercontent.com/aws-cloudformation/cloudformation-cli/master/src/rpdk/core/data/schema/provider.definition.schema.v1.json",
            "https://raw.githubusercontent.com/aws-cloudformation/cloudformation-resource-schema/blob/master/src/main/resources/schema/provider.definition.schema.v1.json",
            "https://raw.githubusercontent.com/aws-cloudformation/cloudformation-resource-schema/master/src/main/resources/schema/provider.definition.schema.v1.json");

    @Test
    void everyResourceAndTheGlobals_matchTheirPublishedSchemas() {
        Template template = Template.committed();

        List<String> errors = validate(template);

        assertThat(errors).as("schema errors in template.yaml (intrinsic-function values are skipped)").isEmpty();
    }

    @Test
    void probeRegionTemplate_matchesThePublishedSchemas() {
        Template probe = Template.probeRegion();

        List<String> errors = validate(probe);

        assertThat(errors).as("schema errors in probe-region.yaml (intrinsic-function values are skipped)").isEmpty();
        assertThat(probe.resources()).containsOnlyKeys("MonitorFunction", "MonitorDeadLetterQueue", "MonitorLogGroup");
    }

    @Test
    void validation_reportsAPropertyTheSchemaDoesNotKnow_andAWrongType() {
        Template broken = Template.committed();
        ((ObjectNode) broken.resource("ControlTable").get("Properties")).put("BillingMod", "PAY_PER_REQUEST");
        ((ObjectNode) broken.resource("MonitorFunction").get("Properties")).put("CodeUrl", ".");
        ((ObjectNode) broken.resource("MonitorDeadLetterQueue").get("Properties")).put("MessageRetentionPeriod", "2w");

        List<String> errors = validate(broken);

        assertThat(errors).anyMatch(e -> e.startsWith("ControlTable") && e.contains("BillingMod"))
                .anyMatch(e -> e.startsWith("MonitorFunction") && e.contains("CodeUrl"))
                .anyMatch(e -> e.startsWith("MonitorDeadLetterQueue") && e.contains("MessageRetentionPeriod"));
    }

    @Test
    void validation_failsForAResourceTypeWithoutASchema() {
        Template broken = Template.committed();
        ((ObjectNode) broken.resource("ControlTable")).put("Type", "AWS::Nowhere::Thing");

        List<String> errors = validate(broken);

        assertThat(errors).anyMatch(e -> e.startsWith("ControlTable") && e.contains("no schema for AWS::Nowhere::Thing"));
    }

    static List<String> validate(Template template) {
        List<String> errors = new ArrayList<>();
        Path sam = SharedSchemas.file("sam.schema.json");
        JsonSchemaFactory draft4 = samSchemas();
        check("Globals", draft4, sam, "__main____Globals", template.root().path("Globals"), errors);
        for (Map.Entry<String, JsonNode> e : template.resources().entrySet()) {
            String id = e.getKey();
            String type = e.getValue().path("Type").asText();
            if (type.startsWith("AWS::Serverless::")) {
                String definition = "samtranslator__internal__schema_source__aws_serverless_"
                        + type.substring("AWS::Serverless::".length()).toLowerCase(Locale.ROOT) + "__Resource";
                check(id, draft4, sam, definition, e.getValue(), errors);
            } else {
                Path schema = resourceSchema(type);
                if (schema == null) {
                    errors.add(id + ": no schema for " + type + " in testdata/schemas/cfn-resources/ (copy "
                            + type.toLowerCase(Locale.ROOT).replace("::", "-") + ".json from cfn-lint, see its README)");
                    continue;
                }
                JsonNode properties = e.getValue().has("Properties") ? e.getValue().get("Properties")
                        : Template.JSON.createObjectNode();
                check(id, providerSchemas(), schema, null, properties, errors);
            }
        }
        return errors;
    }

    private static void check(String what, JsonSchemaFactory factory, Path file, String definition, JsonNode instance,
            List<String> errors) {
        String location = file.toUri() + (definition == null ? "" : "#/definitions/" + definition);
        if (definition != null && !definitions(file).has(definition)) {
            errors.add(what + ": no definition " + definition + " in " + file.getFileName());
            return;
        }
        JsonSchema schema = factory.getSchema(SchemaLocation.of(location));
        for (ValidationMessage m : schema.validate(instance)) {
            if (!Template.isIntrinsic(m.getInstanceNode())) {
                errors.add(what + ": " + m.getMessage());
            }
        }
    }

    /** {@code AWS::DynamoDB::Table} is checked against {@code cfn-resources/aws-dynamodb-table.json}; null when absent. */
    private static Path resourceSchema(String type) {
        Path folder = SharedSchemas.file("sam.schema.json").resolveSibling("cfn-resources");
        Path candidate = folder.resolve(type.toLowerCase(Locale.ROOT).replace("::", "-") + ".json");
        return Files.isRegularFile(candidate) ? candidate : null;
    }

    private static JsonNode definitions(Path file) {
        try {
            return Template.JSON.readTree(file.toFile()).path("definitions");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchemaFactory providerFactory;
    private static JsonSchemaFactory samFactory;

    /** Draft 4 plus the SAM schema's annotations. */
    private static synchronized JsonSchemaFactory samSchemas() {
        if (samFactory == null) {
            JsonMetaSchema draft4 = JsonMetaSchema.builder(JsonMetaSchema.getV4().getIri(), JsonMetaSchema.getV4())
                    .keyword(new NonValidationKeyword("markdownDescription"))
                    .keyword(new NonValidationKeyword("__samPassThrough"))
                    .build();
            samFactory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, b -> b.metaSchema(draft4));
        }
        return samFactory;
    }

    /** Draft 7 that knows the resource-provider keywords (they annotate; they do not validate). */
    private static synchronized JsonSchemaFactory providerSchemas() {
        if (providerFactory == null) {
            JsonMetaSchema draft7 = provider(JsonMetaSchema.getV7().getIri());
            providerFactory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, b -> {
                b.metaSchema(draft7).defaultMetaSchemaIri(draft7.getIri());
                PROVIDER_META_SCHEMAS.forEach(iri -> b.metaSchema(provider(iri)));
            });
        }
        return providerFactory;
    }

    private static JsonMetaSchema provider(String iri) {
        JsonMetaSchema.Builder meta = JsonMetaSchema.builder(iri, JsonMetaSchema.getV7());
        PROVIDER_KEYWORDS.forEach(k -> meta.keyword(new NonValidationKeyword(k)));
        // Later drafts' keywords that cfn-lint's copies of the schemas use; they validate.
        meta.keyword(ValidatorTypeCode.PREFIX_ITEMS).keyword(ValidatorTypeCode.DEPENDENT_REQUIRED);
        return meta.build();
    }
}
