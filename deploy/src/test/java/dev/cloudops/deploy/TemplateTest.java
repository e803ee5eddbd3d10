package dev.cloudops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class TemplateTest {

    @Test
    void parse_turnsShortTagsIntoTheirLongForms() throws Exception {
        String yaml = """
                Conditions:
                  A: !Not [!Condition B]
                Rules:
                  X:
                    RuleCondition: !Contains [!Ref L, NONE]
                Resources:
                  R:
                    Properties:
                      Arn: !GetAtt Table.StreamArn
                      Name: !Ref Stage
                      Url: !Sub https://${Api}.example.com
                      List: !Split [",", !Join ["", [a, b]]]
                      Pick: !If [A, !Select [0, !Ref L], !Ref AWS::NoValue]
                """;

        Template template = Template.parse(yaml);

        JsonNode expected = Template.JSON.readTree("""
                {"Conditions": {"A": {"Fn::Not": [{"Condition": "B"}]}},
                 "Rules": {"X": {"RuleCondition": {"Fn::Contains": [{"Ref": "L"}, "NONE"]}}},
                 "Resources": {"R": {"Properties": {
                   "Arn": {"Fn::GetAtt": ["Table", "StreamArn"]},
                   "Name": {"Ref": "Stage"},
                   "Url": {"Fn::Sub": "https://${Api}.example.com"},
                   "List": {"Fn::Split": [",", {"Fn::Join": ["", ["a", "b"]]}]},
                   "Pick": {"Fn::If": ["A", {"Fn::Select": [0, {"Ref": "L"}]}, {"Ref": "AWS::NoValue"}]}}}}}
                """);
        assertThat(template.root()).isEqualTo(expected);
    }

    @Test
    void parse_refusesATagCloudFormationDoesNotKnow() {
        assertThatThrownBy(() -> Template.parse("A: !Reff B\n"))
                .hasMessageContaining("unknown YAML tag !Reff");
    }

    @Test
    void isIntrinsic_onlyForSingleKeyRefConditionOrFnObjects() throws Exception {
        assertThat(Template.isIntrinsic(Template.JSON.readTree("{\"Ref\": \"X\"}"))).isTrue();
        assertThat(Template.isIntrinsic(Template.JSON.readTree("{\"Fn::Sub\": \"x\"}"))).isTrue();
        assertThat(Template.isIntrinsic(Template.JSON.readTree("{\"Ref\": \"X\", \"Other\": 1}"))).isFalse();
        assertThat(Template.isIntrinsic(Template.JSON.readTree("{\"Name\": \"X\"}"))).isFalse();
        assertThat(Template.isIntrinsic(Template.JSON.readTree("\"Ref\""))).isFalse();
    }
}
