package dev.nightjar.webapp.pages;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;

/**
 * A page whose capability is not built yet. It says so plainly rather than showing made-up data, and
 * tells the user what will appear here.
 */
abstract class PlannedPage extends VerticalLayout {

    PlannedPage(String title, String whatItWillShow) {
        setPadding(true);
        H2 heading = new H2(title);
        Paragraph status = new Paragraph("Not available yet. " + whatItWillShow);
        status.addClassName("planned-page-status");
        status.setId("planned-page-status");
        add(heading, status);
    }
}
