package dev.ferry.controller.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartitionExpressionTest {

    @Test
    void namesFollowedByABracketAreFunctionsAndTheOthersColumns() {
        assertThat(PartitionExpression.columnsOf("toYYYYMM(created)")).containsExactly("created");
        assertThat(PartitionExpression.columnsOf("(region, toYear(created), intDiv(qty, 100))"))
            .containsExactly("region", "created", "qty");
    }

    @Test
    void stringsNumbersKeywordsAndQuotedNamesAreReadAsSuch() {
        assertThat(PartitionExpression.columnsOf("if(region = 'eu, us', 1, 2.5) AND NOT `total`"))
            .containsExactly("region", "total");
    }

    @Test
    void aSecondMentionOfAColumnIsNotRepeated() {
        assertThat(PartitionExpression.columnsOf("region || region")).containsExactly("region");
    }

    @Test
    void statementsCommentsAndUnclosedLiteralsAreRefused() {
        assertThatThrownBy(() -> PartitionExpression.columnsOf("a; DROP TABLE x")).hasMessageContaining("';'");
        assertThatThrownBy(() -> PartitionExpression.columnsOf("a -- b")).hasMessageContaining("comments");
        assertThatThrownBy(() -> PartitionExpression.columnsOf("a /* b */")).hasMessageContaining("comments");
        assertThatThrownBy(() -> PartitionExpression.columnsOf("f('x)")).hasMessageContaining("not closed");
        assertThatThrownBy(() -> PartitionExpression.columnsOf("`a")).hasMessageContaining("not closed");
    }
}
