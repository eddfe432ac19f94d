// The ICD-10 codes commune health stations meet most (≈ 320), shipped so that diagnoses validate offline before
// the official list is imported. Codes, chapters and English titles follow WHO ICD-10 2019; the Vietnamese
// names are the team's curated wording in the style of the Ministry's list and are REPLACED by the official
// names of circular 06/2026 when `npm run catalog:import -- --icd10 <csv>` imports it (see README).
// Flags: N = not allowed as main diagnosis (asterisk codes, external causes); S = a more specific 4-character
// code exists (use it instead); D = not recommended as main diagnosis; F/M = female/male only; * asterisk.
import { chapterOf, type Icd10Entry } from './icd10';

const table = `
A01.0|Thương hàn|Typhoid fever|
A03.9|Lỵ trực khuẩn, không xác định|Shigellosis, unspecified|
A06.0|Lỵ amip cấp|Acute amoebic dysentery|
A08.0|Viêm ruột do rotavirus|Rotaviral enteritis|
A08.4|Nhiễm virus đường ruột, không xác định|Viral intestinal infection, unspecified|
A09|Tiêu chảy và viêm dạ dày ruột nguồn gốc nhiễm trùng khác và không xác định|Other gastroenteritis and colitis of infectious and unspecified origin|S
A09.0|Viêm dạ dày ruột và viêm đại tràng khác và không xác định có nguồn gốc nhiễm trùng|Other and unspecified gastroenteritis and colitis of infectious origin|
A09.9|Viêm dạ dày ruột và viêm đại tràng không rõ nguồn gốc|Gastroenteritis and colitis of unspecified origin|
A15.0|Lao phổi, xác định bằng soi đờm có hoặc không có nuôi cấy|Tuberculosis of lung, confirmed by sputum microscopy with or without culture|
A16.2|Lao phổi, không đề cập đến xác định bằng vi khuẩn học hoặc mô học|Tuberculosis of lung, without mention of bacteriological or histological confirmation|
A18.2|Lao hạch ngoại biên|Tuberculous peripheral lymphadenopathy|
A30.9|Bệnh phong, không xác định|Leprosy, unspecified|
A33|Uốn ván sơ sinh|Tetanus neonatorum|
A35|Uốn ván khác|Other tetanus|
A36.9|Bạch hầu, không xác định|Diphtheria, unspecified|
A37.9|Ho gà, không xác định|Whooping cough, unspecified|
A38|Bệnh tinh hồng nhiệt|Scarlet fever|
A46|Viêm quầng|Erysipelas|
A54.9|Nhiễm lậu cầu, không xác định|Gonococcal infection, unspecified|
A56.0|Nhiễm Chlamydia đường sinh dục tiết niệu dưới|Chlamydial infection of lower genitourinary tract|
A59.0|Nhiễm Trichomonas đường tiết niệu sinh dục|Urogenital trichomoniasis|
A63.0|Sùi mào gà hậu môn sinh dục|Anogenital (venereal) warts|
A75.3|Sốt mò do Orientia tsutsugamushi|Typhus fever due to Rickettsia tsutsugamushi|
A82.9|Bệnh dại, không xác định|Rabies, unspecified|
A83.0|Viêm não Nhật Bản|Japanese encephalitis|
A87.9|Viêm màng não do virus, không xác định|Viral meningitis, unspecified|
A90|Sốt Dengue [sốt xuất huyết Dengue cổ điển]|Dengue fever [classical dengue]|
A91|Sốt xuất huyết Dengue|Dengue haemorrhagic fever|
B00.1|Viêm da mụn nước do virus Herpes|Herpesviral vesicular dermatitis|
B01.9|Thủy đậu không có biến chứng|Varicella without complication|
B02.9|Zona không có biến chứng|Zoster without complication|
B05.9|Sởi không có biến chứng|Measles without complication|
B06.9|Rubella không có biến chứng|Rubella without complication|
B08.4|Bệnh tay chân miệng do virus đường ruột có ban mụn nước|Enteroviral vesicular stomatitis with exanthem|
B15.9|Viêm gan A không có hôn mê gan|Hepatitis A without hepatic coma|
B16.9|Viêm gan B cấp, không có đồng nhiễm virus delta và không có hôn mê gan|Acute hepatitis B without delta-agent and without hepatic coma|
B18.1|Viêm gan virus B mạn tính không có đồng nhiễm virus delta|Chronic viral hepatitis B without delta-agent|
B18.2|Viêm gan virus C mạn tính|Chronic viral hepatitis C|
B20|Bệnh HIV gây bệnh nhiễm trùng và ký sinh trùng|HIV disease resulting in infectious and parasitic diseases|S
B24|Bệnh do virus gây suy giảm miễn dịch ở người [HIV], không xác định|Unspecified human immunodeficiency virus [HIV] disease|
B26.9|Quai bị không có biến chứng|Mumps without complication|
B27.9|Bệnh tăng bạch cầu đơn nhân nhiễm trùng, không xác định|Infectious mononucleosis, unspecified|
B30.9|Viêm kết mạc do virus, không xác định|Viral conjunctivitis, unspecified|
B34.9|Nhiễm virus, không xác định|Viral infection, unspecified|
B35.0|Nấm da râu và nấm da đầu|Tinea barbae and tinea capitis|
B35.4|Nấm da thân|Tinea corporis|
B35.6|Nấm bẹn|Tinea cruris|
B36.0|Lang ben|Pityriasis versicolor|
B37.0|Viêm miệng do Candida [tưa miệng]|Candidal stomatitis|
B37.3|Nhiễm Candida âm hộ và âm đạo|Candidiasis of vulva and vagina|F
B50.9|Sốt rét do Plasmodium falciparum, không xác định|Plasmodium falciparum malaria, unspecified|
B51.9|Sốt rét do Plasmodium vivax không có biến chứng|Plasmodium vivax malaria without complication|
B54|Sốt rét không xác định|Unspecified malaria|
B65.9|Bệnh sán máng, không xác định|Schistosomiasis, unspecified|
B66.3|Bệnh sán lá gan lớn|Fascioliasis|
B67.9|Bệnh nang sán chó (Echinococcus), khác và không xác định|Echinococcosis, other and unspecified|
B68.9|Bệnh sán dây, không xác định|Taeniasis, unspecified|
B69.9|Bệnh ấu trùng sán lợn, không xác định|Cysticercosis, unspecified|
B76.9|Bệnh giun móc, không xác định|Hookworm disease, unspecified|
B77.9|Bệnh giun đũa, không xác định|Ascariasis, unspecified|
B79|Bệnh giun tóc|Trichuriasis|
B80|Bệnh giun kim|Enterobiasis|
B82.9|Bệnh ký sinh trùng đường ruột, không xác định|Intestinal parasitism, unspecified|
B85.0|Chấy rận đầu|Pediculosis due to Pediculus humanus capitis|
B86|Bệnh ghẻ|Scabies|
C16.9|U ác của dạ dày, không xác định|Malignant neoplasm of stomach, unspecified|
C18.9|U ác của đại tràng, không xác định|Malignant neoplasm of colon, unspecified|
C22.0|Ung thư biểu mô tế bào gan|Liver cell carcinoma|
C34.9|U ác của phế quản hoặc phổi, không xác định|Malignant neoplasm of bronchus or lung, unspecified|
C50.9|U ác của vú, không xác định|Malignant neoplasm of breast, unspecified|
C53.9|U ác của cổ tử cung, không xác định|Malignant neoplasm of cervix uteri, unspecified|F
C61|U ác của tuyến tiền liệt|Malignant neoplasm of prostate|M
C73|U ác của tuyến giáp|Malignant neoplasm of thyroid gland|
D25.9|U cơ trơn tử cung, không xác định|Leiomyoma of uterus, unspecified|F
D50.9|Thiếu máu do thiếu sắt, không xác định|Iron deficiency anaemia, unspecified|
D53.9|Thiếu máu dinh dưỡng, không xác định|Nutritional anaemia, unspecified|
D56.1|Bệnh beta thalassemia|Beta thalassaemia|
D56.9|Bệnh thalassemia, không xác định|Thalassaemia, unspecified|
D64.9|Thiếu máu, không xác định|Anaemia, unspecified|
D69.0|Ban xuất huyết dị ứng|Allergic purpura|
E01.0|Bướu giáp lan tỏa (lưu hành địa phương) do thiếu iốt|Iodine-deficiency-related diffuse (endemic) goitre|
E03.9|Suy giáp, không xác định|Hypothyroidism, unspecified|
E04.9|Bướu giáp không độc, không xác định|Nontoxic goitre, unspecified|
E05.0|Nhiễm độc giáp với bướu giáp lan tỏa|Thyrotoxicosis with diffuse goitre|
E05.9|Nhiễm độc giáp, không xác định|Thyrotoxicosis, unspecified|
E10.9|Đái tháo đường phụ thuộc insulin, không có biến chứng|Insulin-dependent diabetes mellitus without complications|
E11|Đái tháo đường không phụ thuộc insulin|Non-insulin-dependent diabetes mellitus|S
E11.2|Đái tháo đường không phụ thuộc insulin, có biến chứng thận|Non-insulin-dependent diabetes mellitus with renal complications|
E11.4|Đái tháo đường không phụ thuộc insulin, có biến chứng thần kinh|Non-insulin-dependent diabetes mellitus with neurological complications|
E11.5|Đái tháo đường không phụ thuộc insulin, có biến chứng tuần hoàn ngoại vi|Non-insulin-dependent diabetes mellitus with peripheral circulatory complications|
E11.9|Đái tháo đường không phụ thuộc insulin, không có biến chứng|Non-insulin-dependent diabetes mellitus without complications|
E14.9|Đái tháo đường không xác định, không có biến chứng|Unspecified diabetes mellitus without complications|
E40|Bệnh kwashiorkor|Kwashiorkor|
E41|Suy dinh dưỡng thể teo đét (marasmus)|Nutritional marasmus|
E43|Suy dinh dưỡng protein-năng lượng nặng, không xác định|Unspecified severe protein-energy malnutrition|
E44.0|Suy dinh dưỡng protein-năng lượng mức độ vừa|Moderate protein-energy malnutrition|
E44.1|Suy dinh dưỡng protein-năng lượng mức độ nhẹ|Mild protein-energy malnutrition|
E46|Suy dinh dưỡng protein-năng lượng, không xác định|Unspecified protein-energy malnutrition|
E50.9|Thiếu vitamin A, không xác định|Vitamin A deficiency, unspecified|
E55.0|Còi xương tiến triển|Rickets, active|
E66.9|Béo phì, không xác định|Obesity, unspecified|
E78.0|Tăng cholesterol máu đơn thuần|Pure hypercholesterolaemia|
E78.5|Tăng lipid máu, không xác định|Hyperlipidaemia, unspecified|
E86|Giảm thể tích dịch|Volume depletion|
E87.6|Hạ kali máu|Hypokalaemia|
F03|Sa sút trí tuệ, không xác định|Unspecified dementia|
F10.2|Rối loạn tâm thần và hành vi do rượu: hội chứng nghiện|Mental and behavioural disorders due to use of alcohol: dependence syndrome|
F17.2|Rối loạn tâm thần và hành vi do thuốc lá: hội chứng nghiện|Mental and behavioural disorders due to use of tobacco: dependence syndrome|
F20.9|Tâm thần phân liệt, không xác định|Schizophrenia, unspecified|
F32.9|Giai đoạn trầm cảm, không xác định|Depressive episode, unspecified|
F41.1|Rối loạn lo âu lan tỏa|Generalized anxiety disorder|
F41.9|Rối loạn lo âu, không xác định|Anxiety disorder, unspecified|
F51.0|Mất ngủ không thực tổn|Nonorganic insomnia|
F70.9|Chậm phát triển tâm thần nhẹ, không có hoặc có tối thiểu suy giảm hành vi|Mild mental retardation without, or with minimal, impairment of behaviour|
F90.0|Rối loạn hoạt động và chú ý|Disturbance of activity and attention|
G03.9|Viêm màng não, không xác định|Meningitis, unspecified|
G20|Bệnh Parkinson|Parkinson disease|
G40.9|Động kinh, không xác định|Epilepsy, unspecified|
G43.9|Đau nửa đầu, không xác định|Migraine, unspecified|
G44.2|Đau đầu do căng thẳng|Tension-type headache|
G45.9|Cơn thiếu máu não cục bộ thoáng qua, không xác định|Transient cerebral ischaemic attack, unspecified|
G51.0|Liệt Bell|Bell palsy|
G56.0|Hội chứng ống cổ tay|Carpal tunnel syndrome|
G63.2*|Bệnh đa dây thần kinh do đái tháo đường|Diabetic polyneuropathy|N
G80.9|Bại não, không xác định|Infantile cerebral palsy, unspecified|
H00.0|Lẹo và viêm mô sâu khác của mi mắt|Hordeolum and other deep inflammation of eyelid|
H01.0|Viêm bờ mi|Blepharitis|
H04.5|Hẹp và thiểu năng đường dẫn lệ|Stenosis and insufficiency of lacrimal passages|
H10.0|Viêm kết mạc mủ nhầy|Mucopurulent conjunctivitis|
H10.1|Viêm kết mạc dị ứng cấp|Acute atopic conjunctivitis|
H10.9|Viêm kết mạc, không xác định|Conjunctivitis, unspecified|
H11.0|Mộng thịt|Pterygium|
H16.9|Viêm giác mạc, không xác định|Keratitis, unspecified|
H26.9|Đục thủy tinh thể, không xác định|Cataract, unspecified|
H25.9|Đục thủy tinh thể tuổi già, không xác định|Senile cataract, unspecified|
H36.0*|Bệnh võng mạc do đái tháo đường|Diabetic retinopathy|N
H40.9|Glôcôm, không xác định|Glaucoma, unspecified|
H52.1|Cận thị|Myopia|
H52.4|Lão thị|Presbyopia|
H54.9|Suy giảm thị lực, không xác định (hai mắt)|Unspecified visual impairment (binocular)|
H60.9|Viêm tai ngoài, không xác định|Otitis externa, unspecified|
H61.2|Nút ráy tai|Impacted cerumen|
H65.9|Viêm tai giữa không nung mủ, không xác định|Nonsuppurative otitis media, unspecified|
H66.0|Viêm tai giữa cấp nung mủ|Acute suppurative otitis media|
H66.3|Viêm tai giữa nung mủ mạn tính khác|Other chronic suppurative otitis media|
H66.9|Viêm tai giữa, không xác định|Otitis media, unspecified|
H81.1|Chóng mặt kịch phát lành tính|Benign paroxysmal vertigo|
H91.9|Nghe kém, không xác định|Hearing loss, unspecified|
I00|Thấp khớp cấp không đề cập đến biến chứng tim|Rheumatic fever without mention of heart involvement|
I05.0|Hẹp van hai lá|Mitral stenosis|
I10|Bệnh lý tăng huyết áp vô căn (nguyên phát)|Essential (primary) hypertension|
I11.9|Bệnh tim do tăng huyết áp, không có suy tim (sung huyết)|Hypertensive heart disease without (congestive) heart failure|
I20.9|Cơn đau thắt ngực, không xác định|Angina pectoris, unspecified|
I21.9|Nhồi máu cơ tim cấp, không xác định|Acute myocardial infarction, unspecified|
I25.1|Bệnh tim do xơ vữa động mạch|Atherosclerotic heart disease|
I48.9|Rung nhĩ và cuồng nhĩ, không xác định|Atrial fibrillation and atrial flutter, unspecified|
I49.9|Rối loạn nhịp tim, không xác định|Cardiac arrhythmia, unspecified|
I50.0|Suy tim sung huyết|Congestive heart failure|
I50.9|Suy tim, không xác định|Heart failure, unspecified|
I61.9|Xuất huyết não, không xác định|Intracerebral haemorrhage, unspecified|
I63.9|Nhồi máu não, không xác định|Cerebral infarction, unspecified|
I64|Đột quỵ, không xác định do xuất huyết hay nhồi máu|Stroke, not specified as haemorrhage or infarction|
I69.4|Di chứng đột quỵ, không xác định do xuất huyết hay nhồi máu|Sequelae of stroke, not specified as haemorrhage or infarction|
I83.9|Giãn tĩnh mạch chi dưới không có loét hoặc viêm|Varicose veins of lower extremities without ulcer or inflammation|
I84.9|Trĩ không có biến chứng, không xác định|Unspecified haemorrhoids without complication|
I95.9|Hạ huyết áp, không xác định|Hypotension, unspecified|
J00|Viêm mũi họng cấp [cảm thường]|Acute nasopharyngitis [common cold]|
J01.9|Viêm xoang cấp, không xác định|Acute sinusitis, unspecified|
J02|Viêm họng cấp|Acute pharyngitis|S
J02.0|Viêm họng do liên cầu|Streptococcal pharyngitis|
J02.9|Viêm họng cấp, không xác định|Acute pharyngitis, unspecified|
J03.9|Viêm amidan cấp, không xác định|Acute tonsillitis, unspecified|
J04.0|Viêm thanh quản cấp|Acute laryngitis|
J05.0|Viêm thanh quản tắc nghẽn cấp [bạch hầu giả]|Acute obstructive laryngitis [croup]|
J06|Nhiễm trùng đường hô hấp trên cấp ở nhiều vị trí và vị trí không xác định|Acute upper respiratory infections of multiple and unspecified sites|S
J06.0|Viêm thanh hầu cấp|Acute laryngopharyngitis|
J06.9|Nhiễm trùng đường hô hấp trên cấp, không xác định|Acute upper respiratory infection, unspecified|
J10.1|Cúm có biểu hiện hô hấp khác, virus cúm mùa đã được định danh|Influenza with other respiratory manifestations, seasonal influenza virus identified|
J11.1|Cúm có biểu hiện hô hấp khác, virus không được định danh|Influenza with other respiratory manifestations, virus not identified|
J12.9|Viêm phổi do virus, không xác định|Viral pneumonia, unspecified|
J15.9|Viêm phổi do vi khuẩn, không xác định|Bacterial pneumonia, unspecified|
J18|Viêm phổi, tác nhân không xác định|Pneumonia, organism unspecified|S
J18.0|Viêm phế quản phổi, không xác định|Bronchopneumonia, unspecified|
J18.9|Viêm phổi, không xác định|Pneumonia, unspecified|
J20|Viêm phế quản cấp|Acute bronchitis|S
J20.9|Viêm phế quản cấp, không xác định|Acute bronchitis, unspecified|
J21.9|Viêm tiểu phế quản cấp, không xác định|Acute bronchiolitis, unspecified|
J30.4|Viêm mũi dị ứng, không xác định|Allergic rhinitis, unspecified|
J31.0|Viêm mũi mạn tính|Chronic rhinitis|
J32.9|Viêm xoang mạn tính, không xác định|Chronic sinusitis, unspecified|
J35.0|Viêm amidan mạn tính|Chronic tonsillitis|
J40|Viêm phế quản, không xác định cấp hay mạn|Bronchitis, not specified as acute or chronic|
J42|Viêm phế quản mạn tính không xác định|Unspecified chronic bronchitis|
J44.1|Bệnh phổi tắc nghẽn mạn tính có đợt cấp, không xác định|Chronic obstructive pulmonary disease with acute exacerbation, unspecified|
J44.9|Bệnh phổi tắc nghẽn mạn tính, không xác định|Chronic obstructive pulmonary disease, unspecified|
J45|Hen [suyễn]|Asthma|S
J45.0|Hen nguồn gốc dị ứng|Predominantly allergic asthma|
J45.9|Hen, không xác định|Asthma, unspecified|
J46|Cơn hen ác tính|Status asthmaticus|
J47|Giãn phế quản|Bronchiectasis|
J86.9|Mủ màng phổi không có lỗ rò|Pyothorax without fistula|
J90|Tràn dịch màng phổi, chưa được phân loại ở phần khác|Pleural effusion, not elsewhere classified|
K02.9|Sâu răng, không xác định|Dental caries, unspecified|
K04.7|Áp xe quanh chóp răng không có lỗ rò|Periapical abscess without sinus|
K05.1|Viêm lợi mạn tính|Chronic gingivitis|
K05.3|Viêm quanh răng mạn tính|Chronic periodontitis|
K12.0|Loét áp-tơ miệng tái phát|Recurrent oral aphthae|
K21.9|Bệnh trào ngược dạ dày thực quản không có viêm thực quản|Gastro-oesophageal reflux disease without oesophagitis|
K25.9|Loét dạ dày, không xác định cấp hay mạn tính, không có chảy máu hoặc thủng|Gastric ulcer, unspecified as acute or chronic, without haemorrhage or perforation|
K26.9|Loét tá tràng, không xác định cấp hay mạn tính, không có chảy máu hoặc thủng|Duodenal ulcer, unspecified as acute or chronic, without haemorrhage or perforation|
K29|Viêm dạ dày và tá tràng|Gastritis and duodenitis|S
K29.0|Viêm dạ dày xuất huyết cấp|Acute haemorrhagic gastritis|
K29.1|Viêm dạ dày cấp khác|Other acute gastritis|
K29.5|Viêm dạ dày mạn, không xác định|Chronic gastritis, unspecified|
K29.7|Viêm dạ dày, không xác định|Gastritis, unspecified|
K30|Khó tiêu chức năng|Functional dyspepsia|
K35.8|Viêm ruột thừa cấp, khác và không xác định|Acute appendicitis, other and unspecified|
K40.9|Thoát vị bẹn một bên hoặc không xác định, không có tắc nghẽn hoặc hoại thư|Unilateral or unspecified inguinal hernia, without obstruction or gangrene|
K52.9|Viêm dạ dày ruột và viêm đại tràng không nhiễm trùng, không xác định|Noninfective gastroenteritis and colitis, unspecified|
K56.7|Tắc ruột, không xác định|Ileus, unspecified|
K58.9|Hội chứng ruột kích thích không có tiêu chảy|Irritable bowel syndrome without diarrhoea|
K59.0|Táo bón|Constipation|
K70.3|Xơ gan do rượu|Alcoholic cirrhosis of liver|
K74.6|Xơ gan khác và không xác định|Other and unspecified cirrhosis of liver|
K76.0|Gan nhiễm mỡ, chưa được phân loại ở phần khác|Fatty (change of) liver, not elsewhere classified|
K80.2|Sỏi túi mật không có viêm túi mật|Calculus of gallbladder without cholecystitis|
K81.0|Viêm túi mật cấp|Acute cholecystitis|
K85.9|Viêm tụy cấp, không xác định|Acute pancreatitis, unspecified|
K92.2|Xuất huyết tiêu hóa, không xác định|Gastrointestinal haemorrhage, unspecified|
L01.0|Chốc lở|Impetigo [any organism] [any site]|
L02.9|Áp xe da, nhọt và nhọt cụm, không xác định|Cutaneous abscess, furuncle and carbuncle, unspecified|
L03.9|Viêm mô tế bào, không xác định|Cellulitis, unspecified|
L08.9|Nhiễm trùng khu trú của da và mô dưới da, không xác định|Local infection of skin and subcutaneous tissue, unspecified|
L20.9|Viêm da cơ địa, không xác định|Atopic dermatitis, unspecified|
L21.0|Viêm da tiết bã da đầu [cứt trâu]|Seborrhoea capitis|
L22|Viêm da do tã lót|Diaper [napkin] dermatitis|
L23.9|Viêm da tiếp xúc dị ứng, nguyên nhân không xác định|Allergic contact dermatitis, unspecified cause|
L25.9|Viêm da tiếp xúc không xác định, nguyên nhân không xác định|Unspecified contact dermatitis, unspecified cause|
L29.9|Ngứa, không xác định|Pruritus, unspecified|
L30.9|Viêm da, không xác định|Dermatitis, unspecified|
L40.0|Vảy nến thông thường|Psoriasis vulgaris|
L50.0|Mày đay dị ứng|Allergic urticaria|
L50.9|Mày đay, không xác định|Urticaria, unspecified|
L70.0|Trứng cá thông thường|Acne vulgaris|
L74.0|Rôm sảy đỏ|Miliaria rubra|
L89.9|Loét do tì đè ở giai đoạn không xác định|Decubitus ulcer and pressure area, unspecified|
L97|Loét chi dưới, chưa được phân loại ở phần khác|Ulcer of lower limb, not elsewhere classified|
M06.9|Viêm khớp dạng thấp, không xác định|Rheumatoid arthritis, unspecified|
M10.9|Bệnh gút, không xác định|Gout, unspecified|
M13.9|Viêm khớp, không xác định|Arthritis, unspecified|
M15.9|Thoái hóa nhiều khớp, không xác định|Polyarthrosis, unspecified|
M17.9|Thoái hóa khớp gối, không xác định|Gonarthrosis, unspecified|
M19.9|Thoái hóa khớp, không xác định|Arthrosis, unspecified|
M25.5|Đau khớp|Pain in joint|
M47.8|Thoái hóa cột sống khác|Other spondylosis|
M47.9|Thoái hóa cột sống, không xác định|Spondylosis, unspecified|
M51.2|Thoát vị đĩa đệm đặc hiệu khác|Other specified intervertebral disc displacement|
M54.2|Đau vùng cổ gáy|Cervicalgia|
M54.3|Đau thần kinh tọa|Sciatica|
M54.5|Đau vùng thắt lưng|Low back pain|
M54.9|Đau lưng, không xác định|Dorsalgia, unspecified|
M62.6|Căng cơ|Muscle strain|
M75.0|Viêm dính bao khớp vai|Adhesive capsulitis of shoulder|
M79.1|Đau cơ|Myalgia|
M79.6|Đau chi|Pain in limb|
M81.9|Loãng xương, không xác định|Osteoporosis, unspecified|
N03.9|Hội chứng viêm cầu thận mạn tính, không xác định|Chronic nephritic syndrome, unspecified|
N04.9|Hội chứng thận hư, không xác định|Nephrotic syndrome, unspecified|
N10|Viêm ống thận - kẽ thận cấp|Acute tubulo-interstitial nephritis|
N18.9|Bệnh thận mạn, không xác định|Chronic kidney disease, unspecified|
N20.0|Sỏi thận|Calculus of kidney|
N20.1|Sỏi niệu quản|Calculus of ureter|
N23|Cơn đau quặn thận không xác định|Unspecified renal colic|
N30.0|Viêm bàng quang cấp|Acute cystitis|
N30.9|Viêm bàng quang, không xác định|Cystitis, unspecified|
N34.1|Viêm niệu đạo không đặc hiệu|Nonspecific urethritis|
N39.0|Nhiễm trùng đường tiết niệu, vị trí không xác định|Urinary tract infection, site not specified|
N40|Tăng sản tuyến tiền liệt|Hyperplasia of prostate|M
N41.0|Viêm tuyến tiền liệt cấp|Acute prostatitis|M
N45.9|Viêm tinh hoàn và mào tinh hoàn không có áp xe|Orchitis, epididymitis and epididymo-orchitis without abscess|M
N60.1|Bệnh xơ nang tuyến vú lan tỏa|Diffuse cystic mastopathy|
N61|Rối loạn viêm vú|Inflammatory disorders of breast|
N70.9|Viêm vòi trứng và viêm buồng trứng, không xác định|Salpingitis and oophoritis, unspecified|F
N72|Bệnh viêm cổ tử cung|Inflammatory disease of cervix uteri|F
N73.9|Bệnh viêm vùng chậu nữ, không xác định|Female pelvic inflammatory disease, unspecified|F
N76.0|Viêm âm đạo cấp|Acute vaginitis|F
N76.1|Viêm âm đạo bán cấp và mạn tính|Subacute and chronic vaginitis|F
N77.1*|Viêm âm đạo, viêm âm hộ và viêm âm hộ-âm đạo trong bệnh nhiễm trùng và ký sinh trùng phân loại nơi khác|Vaginitis, vulvitis and vulvovaginitis in infectious and parasitic diseases classified elsewhere|NF
N80.9|Lạc nội mạc tử cung, không xác định|Endometriosis, unspecified|F
N81.2|Sa tử cung và âm đạo không hoàn toàn|Incomplete uterovaginal prolapse|F
N83.2|U nang buồng trứng khác và không xác định|Other and unspecified ovarian cysts|F
N91.2|Vô kinh, không xác định|Amenorrhoea, unspecified|F
N92.0|Kinh nguyệt quá nhiều và quá thường xuyên với chu kỳ đều|Excessive and frequent menstruation with regular cycle|F
N94.6|Đau bụng kinh, không xác định|Dysmenorrhoea, unspecified|F
N95.1|Tình trạng mãn kinh và mãn kinh nữ|Menopausal and female climacteric states|F
N97.9|Vô sinh nữ, không xác định|Female infertility, unspecified|F
O03.9|Sẩy thai tự nhiên, hoàn toàn hoặc không xác định, không có biến chứng|Spontaneous abortion, complete or unspecified, without complication|F
O13|Tăng huyết áp do thai [không có protein niệu đáng kể]|Gestational [pregnancy-induced] hypertension|F
O14.9|Tiền sản giật, không xác định|Pre-eclampsia, unspecified|F
O20.0|Dọa sẩy thai|Threatened abortion|F
O21.0|Nôn nghén nhẹ|Mild hyperemesis gravidarum|F
O24.4|Đái tháo đường khởi phát trong thời kỳ mang thai|Diabetes mellitus arising in pregnancy|F
O26.9|Tình trạng liên quan đến thai nghén, không xác định|Pregnancy-related condition, unspecified|F
O47.9|Chuyển dạ giả, không xác định|False labour, unspecified|F
O72.1|Băng huyết khác ngay sau sinh|Other immediate postpartum haemorrhage|F
O80.0|Đẻ thường ngôi chỏm tự nhiên|Spontaneous vertex delivery|F
O86.0|Nhiễm trùng vết mổ sản khoa|Infection of obstetric surgical wound|F
O91.2|Viêm vú không mưng mủ liên quan đến sinh đẻ|Nonpurulent mastitis associated with childbirth|F
O99.0|Thiếu máu gây biến chứng thai nghén, sinh đẻ và hậu sản|Anaemia complicating pregnancy, childbirth and the puerperium|F
P07.3|Trẻ đẻ non khác|Other preterm infants|
P22.9|Suy hô hấp ở trẻ sơ sinh, không xác định|Respiratory distress of newborn, unspecified|
P36.9|Nhiễm khuẩn huyết sơ sinh do vi khuẩn, không xác định|Bacterial sepsis of newborn, unspecified|
P38|Viêm rốn sơ sinh có hoặc không kèm chảy máu nhẹ|Omphalitis of newborn with or without mild haemorrhage|
P59.9|Vàng da sơ sinh, không xác định|Neonatal jaundice, unspecified|
Q21.0|Thông liên thất|Ventricular septal defect|
Q35.9|Hở hàm ếch, không xác định|Cleft palate, unspecified|
Q53.9|Tinh hoàn không xuống bìu, không xác định|Undescended testicle, unspecified|M
Q65.2|Trật khớp háng bẩm sinh, không xác định|Congenital dislocation of hip, unspecified|
Q90.9|Hội chứng Down, không xác định|Down syndrome, unspecified|
R00.0|Nhịp tim nhanh, không xác định|Tachycardia, unspecified|D
R04.0|Chảy máu cam|Epistaxis|D
R05|Ho|Cough|D
R06.0|Khó thở|Dyspnoea|D
R10.4|Đau bụng khác và không xác định|Other and unspecified abdominal pain|D
R11|Buồn nôn và nôn|Nausea and vomiting|D
R17|Vàng da, không xác định|Unspecified jaundice|D
R19.7|Tiêu chảy, không xác định|Diarrhoea, unspecified|D
R21|Phát ban và nổi ban không đặc hiệu khác|Rash and other nonspecific skin eruption|D
R31|Đái máu, không xác định|Unspecified haematuria|D
R42|Chóng mặt và choáng váng|Dizziness and giddiness|D
R50.9|Sốt, không xác định|Fever, unspecified|D
R51|Đau đầu|Headache|D
R53|Khó ở và mệt mỏi|Malaise and fatigue|D
R55|Ngất và trụy|Syncope and collapse|D
R56.0|Co giật do sốt|Febrile convulsions|
R56.8|Co giật khác và không xác định|Other and unspecified convulsions|D
R62.8|Chậm phát triển thể chất khác như mong đợi|Other lack of expected normal physiological development|D
R63.4|Sút cân bất thường|Abnormal weight loss|D
R73.9|Tăng đường huyết, không xác định|Hyperglycaemia, unspecified|D
S00.9|Tổn thương nông ở đầu, phần không xác định|Superficial injury of head, part unspecified|
S01.9|Vết thương hở ở đầu, phần không xác định|Open wound of head, part unspecified|
S06.0|Chấn động não|Concussion|
S13.4|Bong gân và căng cột sống cổ|Sprain and strain of cervical spine|
S42.0|Gãy xương đòn|Fracture of clavicle|
S52.5|Gãy đầu dưới xương quay|Fracture of lower end of radius|
S60.9|Tổn thương nông ở cổ tay và bàn tay, không xác định|Superficial injury of wrist and hand, unspecified|
S61.9|Vết thương hở ở cổ tay và bàn tay, phần không xác định|Open wound of wrist and hand part, part unspecified|
S80.0|Đụng dập gối|Contusion of knee|
S81.9|Vết thương hở ở cẳng chân, phần không xác định|Open wound of lower leg, part unspecified|
S82.8|Gãy các phần khác của cẳng chân|Fractures of other parts of lower leg|
S93.4|Bong gân và căng dây chằng cổ chân|Sprain and strain of ankle|
S91.3|Vết thương hở ở các phần khác của bàn chân|Open wound of other parts of foot|
T14.0|Tổn thương nông ở vùng cơ thể không xác định|Superficial injury of unspecified body region|
T14.1|Vết thương hở ở vùng cơ thể không xác định|Open wound of unspecified body region|
T15.9|Dị vật ở bên ngoài mắt, phần không xác định|Foreign body on external eye, part unspecified|
T30.0|Bỏng ở vùng cơ thể không xác định, độ không xác định|Burn of unspecified body region, unspecified degree|
T39.1|Ngộ độc dẫn xuất 4-aminophenol|Poisoning: 4-Aminophenol derivatives|
T51.9|Nhiễm độc rượu, không xác định|Toxic effect: alcohol, unspecified|
T60.0|Nhiễm độc thuốc trừ sâu phospho hữu cơ và carbamat|Toxic effect: organophosphate and carbamate insecticides|
T62.0|Nhiễm độc do ăn phải nấm|Toxic effect: ingested mushrooms|
T63.0|Nọc rắn độc|Toxic effect: snake venom|
T63.4|Nọc độc của các động vật chân đốt khác|Toxic effect: venom of other arthropods|
T67.0|Say nóng và say nắng|Heatstroke and sunstroke|
T68|Hạ thân nhiệt|Hypothermia|
T75.1|Chết đuối và ngạt nước không tử vong|Drowning and nonfatal submersion|
T78.4|Dị ứng, không xác định|Allergy, unspecified|
T78.3|Phù mạch thần kinh|Angioneurotic oedema|
T88.7|Tác dụng ngoại ý không xác định của thuốc và dược phẩm|Unspecified adverse effect of drug or medicament|
V89.2|Người bị thương trong tai nạn giao thông có xe cơ giới, không xác định|Person injured in unspecified motor-vehicle accident, traffic|N
W01.9|Ngã cùng mặt phẳng do trượt, vấp, loạng choạng, nơi không xác định|Fall on same level from slipping, tripping and stumbling, unspecified place|N
W19.9|Ngã không xác định, nơi không xác định|Unspecified fall, unspecified place|N
W54.9|Bị chó cắn hoặc húc, nơi không xác định|Bitten or struck by dog, unspecified place|N
W57.9|Bị côn trùng không có nọc độc và động vật chân đốt không có nọc độc khác cắn hoặc đốt, nơi không xác định|Bitten or stung by nonvenomous insect and other nonvenomous arthropods, unspecified place|N
X20.9|Tiếp xúc với rắn và thằn lằn có nọc độc, nơi không xác định|Contact with venomous snakes and lizards, unspecified place|N
X48.9|Ngộ độc do tai nạn và tiếp xúc với thuốc trừ sâu, nơi không xác định|Accidental poisoning by and exposure to pesticides, unspecified place|N
X59.9|Tiếp xúc với yếu tố không xác định, nơi không xác định|Exposure to unspecified factor, unspecified place|N
Z00.0|Khám sức khỏe tổng quát|General medical examination|
Z00.1|Khám sức khỏe định kỳ trẻ em|Routine child health examination|
Z01.4|Khám phụ khoa (tổng quát) (định kỳ)|Gynaecological examination (general)(routine)|F
Z09.9|Khám theo dõi sau điều trị không xác định cho tình trạng khác|Follow-up examination after unspecified treatment for other conditions|
Z11.1|Khám sàng lọc đặc biệt lao phổi|Special screening examination for respiratory tuberculosis|
Z13.1|Khám sàng lọc đặc biệt đái tháo đường|Special screening examination for diabetes mellitus|
Z20.8|Tiếp xúc và phơi nhiễm với các bệnh truyền nhiễm khác|Contact with and exposure to other communicable diseases|
Z23.5|Cần tiêm chủng chỉ phòng uốn ván|Need for immunization against tetanus alone|
Z24.6|Cần tiêm chủng phòng viêm gan virus|Need for immunization against viral hepatitis|
Z27.1|Cần tiêm chủng phối hợp bạch hầu - ho gà - uốn ván [DTP]|Need for immunization against diphtheria-tetanus-pertussis, combined [DTP]|
Z30.0|Tư vấn và hướng dẫn chung về tránh thai|General counselling and advice on contraception|
Z30.1|Đặt dụng cụ tránh thai (trong tử cung)|Insertion of (intrauterine) contraceptive device|F
Z32.1|Có thai đã được xác nhận|Pregnancy confirmed|F
Z34.9|Theo dõi thai bình thường, không xác định|Supervision of normal pregnancy, unspecified|F
Z35.9|Theo dõi thai có nguy cơ cao, không xác định|Supervision of high-risk pregnancy, unspecified|F
Z39.2|Theo dõi thường quy sau đẻ|Routine postpartum follow-up|F
Z71.3|Tư vấn và theo dõi chế độ ăn|Dietary counselling and surveillance|
Z71.6|Tư vấn về sử dụng thuốc lá|Tobacco abuse counselling|
Z71.9|Tư vấn, không xác định|Counselling, unspecified|
Z72.0|Sử dụng thuốc lá|Tobacco use|D
Z76.0|Cấp lại đơn thuốc|Issue of repeat prescription|
Z86.7|Tiền sử bản thân mắc bệnh hệ tuần hoàn|Personal history of diseases of the circulatory system|D
U07.1|COVID-19, đã xác định virus|COVID-19, virus identified|
U07.2|COVID-19, chưa xác định virus|COVID-19, virus not identified|
`;

/** The shipped ICD-10 codes, checked against the chapter structure when loaded. */
export const curatedIcd10: readonly Icd10Entry[] = table
  .trim()
  .split('\n')
  .map((line) => {
    const [raw = '', nameVi = '', nameEn = '', flags = ''] = line.split('|');
    const code = raw.replace('*', '');
    const chapter = chapterOf(code);
    if (!chapter) throw new Error(`curated ICD-10 code ${code} is outside every chapter`);
    return {
      code,
      chapter,
      nameVi,
      nameEn,
      notMain: flags.includes('N'),
      discouragedMain: flags.includes('D'),
      hasMoreSpecific: flags.includes('S'),
      causeOfDeathOnly: false,
      ...(flags.includes('F') ? { sex: 'female' as const } : flags.includes('M') ? { sex: 'male' as const } : {}),
      ...(raw.endsWith('*') ? { mark: 'asterisk' as const } : {})
    };
  });
